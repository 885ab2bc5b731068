import type { IdentifierType } from './identity'

/**
 * One identifier on the wire: emails and phones are SHA-256 hex, never raw.
 *
 * @example
 * const id: Identifier = { type: 'email', value: '62a14e44…0f62f', role: true }
 */
export interface Identifier {
  type: IdentifierType
  value: string
  /** A role mailbox (`info@`, `sales@`…): stored, but never bridges two profiles. */
  role?: true
}

/**
 * Soft PII in Meta's form, every field SHA-256 hex.
 *
 * @example
 * const data: UserData = { fn: '6915771b…49f4ec' }
 */
export type UserData = Partial<Record<'fn' | 'ln' | 'ct' | 'st' | 'zp' | 'country' | 'db' | 'ge', string>>

/**
 * Purposes a visitor can consent to.
 *
 * @example
 * const decision: ConsentDecision = { analytics: true, marketing: false }
 */
export interface ConsentDecision {
  analytics: boolean
  marketing: boolean
}

/**
 * Where and when a call was made. The snippet captures it at call time, so a
 * call made before the bundle arrived still reports the page it was made on.
 *
 * @example
 * const page: PageContext = { url: location.href, title: document.title, referrer: document.referrer, ts: Date.now() }
 */
export interface PageContext {
  url: string
  title: string
  referrer: string
  /** Epoch milliseconds. */
  ts: number
}

/**
 * One event as the collector accepts it (collector/docs/pipeline.md).
 *
 * @example
 * const body = JSON.stringify({ sent_at: new Date().toISOString(), events: [event as WireEvent] })
 */
export interface WireEvent {
  event_id: string
  event_name: string
  event_time: string
  action_source: 'website'
  identifiers: Identifier[]
  user_data?: UserData
  properties: Record<string, unknown>
  context: {
    page: { url: string; referrer: string; title: string }
    user_agent: string
    locale: string
    timezone: string
    session_id: string
    campaign?: Record<string, string>
    click_ids?: Record<string, string>
    library: { name: string; version: string }
  }
  consent: ConsentDecision
}

/**
 * What `identify()` accepts. Everything is normalised and hashed in the browser.
 *
 * @example
 * const traits: IdentifyTraits = { email: 'jane@shop.example', phone: '+1 650 555 1212', firstName: 'Jane' }
 */
export interface IdentifyTraits {
  email?: string
  phone?: string
  externalId?: string
  firstName?: string
  lastName?: string
  city?: string
  state?: string
  zip?: string
  /** ISO-3166 alpha-2, also the default country for phone numbers without a `+`. */
  country?: string
  /** `YYYY-MM-DD` or `YYYYMMDD`. */
  dateOfBirth?: string
  gender?: string
}

/**
 * Options of one `track()` call.
 *
 * @example
 * stratum.track('Purchase', { value: 129.5, currency: 'EUR' }, { eventId: orderFromBackend.event_id })
 */
export interface TrackOptions {
  /**
   * The event's id, a UUID, when your backend sends the same event: give both
   * the id your backend derived (never one a stranger could compute), and the
   * collector stores the pair once. Default: a fresh random id. The collector
   * rejects an id that is not a UUID, and the pixel warns of the rejection.
   */
  eventId?: string
}

/**
 * Options of `createStratum()` and `stratum('init', …)`.
 *
 * @example
 * const options: StratumOptions = { sourceKey: 'sk_…', endpoint: 'https://collect.shop.example', requireConsent: true }
 */
export interface StratumOptions {
  /** The source's public key (`sk_…`), from `POST /api/v1/cdp/sources`. */
  sourceKey: string
  /** The collector's base URL, e.g. `https://collect.shop.example`. */
  endpoint: string
  /** Events path under `endpoint`; set it when the collector is proxied first-party. Default `/api/v1/cdp/events`. */
  path?: string
  /** Consent path under `endpoint`. Default `/api/v1/cdp/consent`. */
  consentPath?: string
  /** Hold events (persisted, hashed) until `consent()` decides. Default `false`. */
  requireConsent?: boolean
  /** Send a PageView on load and on every SPA navigation. Default `true`. */
  autoPageviews?: boolean
  /** Add a FingerprintJS `device_id` once marketing consent is granted. Default `false`. */
  deviceId?: boolean
  /** ISO-3166 alpha-2 country for phone numbers written without a `+`. */
  defaultCountry?: string
  /** Cookie domain; by default the registrable domain, found by probing. */
  cookieDomain?: string
  /** Sent with `consent()` decisions to the collector. */
  policyVersion?: string
  /** Send a batch once this many events wait. Default 20. */
  flushAt?: number
  /** Send waiting events after this many milliseconds. Default 2000. */
  flushIntervalMs?: number
}

/**
 * The pixel's public API. No method ever throws into the host page.
 *
 * @example
 * const stratum: Stratum = createStratum(options)
 * stratum.track('Lead', { value: 10, currency: 'EUR' })
 */
export interface Stratum {
  track(eventName: string, properties?: Record<string, unknown>, options?: TrackOptions): void
  page(properties?: Record<string, unknown>): void
  identify(traits: IdentifyTraits): void
  consent(decision: Partial<ConsentDecision>): void
  reset(): void
  flush(): Promise<void>
}
