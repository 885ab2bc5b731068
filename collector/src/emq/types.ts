/**
 * Types of the EMQ (Event Match Quality) scorer — collector/docs/emq.md.
 *
 * The input is what the collector knows at ingest, *after* the identity module
 * has normalised and classified identifiers and after clock correction (§3).
 * The scorer never sees raw PII: user data arrives hashed and only its
 * presence matters.
 */

/**
 * An identifier type the collector accepts (collector/docs/identity-resolution.md).
 *
 * @example
 * const type: EmqIdentifierType = 'email'
 */
export type EmqIdentifierType = 'email' | 'phone' | 'external_id' | 'device_id' | 'anonymous_id'

/**
 * Quality verdict of the identity module: `junk` (blocklisted, §4) and
 * `invalid` (failed normalisation) are never used for matching, so they score 0.
 *
 * @example
 * const status: EmqIdentifierStatus = 'junk'
 */
export type EmqIdentifierStatus = 'valid' | 'junk' | 'invalid'

/**
 * One identifier as seen by the scorer: its type and quality, never its value.
 *
 * @example
 * const phone: EmqIdentifier = { type: 'phone', status: 'valid', degraded: true }
 */
export interface EmqIdentifier {
  type: EmqIdentifierType
  status: EmqIdentifierStatus
  /** Phone whose country came from the configured default, not from the value. */
  degraded?: boolean
  /** Device/anonymous id that became `shared` (G4) and stopped bridging. */
  shared?: boolean
}

/**
 * Hashed soft-PII keys of `user_data` (Meta's names).
 *
 * @example
 * const key: EmqUserDataKey = 'zp'
 */
export type EmqUserDataKey = 'fn' | 'ln' | 'ct' | 'st' | 'zp' | 'country' | 'db' | 'ge'

/**
 * Ad-platform click ids (`fbc`, `gclid`, `ttclid`) and the Meta browser id (`fbp`).
 *
 * @example
 * const ids: EmqClickIds = { fbc: 'fb.1.1700000000000.AbCd', fbp: 'fb.1.1700000000000.123' }
 */
export interface EmqClickIds {
  fbc?: string
  fbp?: string
  gclid?: string
  ttclid?: string
}

/**
 * The part of the event `context` that EMQ looks at.
 *
 * @example
 * const ctx: EmqContext = { page: { url: 'https://shop.example/' }, locale: 'en-US' }
 */
export interface EmqContext {
  page?: { url?: string; referrer?: string }
  locale?: string
  timezone?: string
  campaign?: Record<string, unknown>
  clickIds?: EmqClickIds
}

/**
 * Everything `scoreEmq` needs about one event.
 *
 * @example
 * const input: EmqInput = {
 *   eventName: 'PageView',
 *   identifiers: [{ type: 'anonymous_id', status: 'valid' }],
 *   userData: {},
 *   properties: {},
 *   context: {},
 *   eventTime: new Date('2026-01-13T15:30:00Z'),
 *   receivedAt: new Date('2026-01-13T15:30:01Z'),
 * }
 */
export interface EmqInput {
  eventName: string
  /** The event id the *client* sent; a server-generated fallback id must not be passed here. */
  eventId?: string
  actionSource?: string
  identifiers: readonly EmqIdentifier[]
  /** Already hashed; only presence counts. */
  userData: Partial<Record<EmqUserDataKey, string>>
  properties: Record<string, unknown>
  context: EmqContext
  /** After clock correction (§3). */
  eventTime: Date
  receivedAt: Date
  /** Server-derived (connection or trusted proxy), never browser-sent. */
  clientIp?: string
  /** Server-derived from the request headers. */
  userAgent?: string
}

/**
 * EMQ band (collector/docs/emq.md).
 *
 * @example
 * const band: EmqBand = 'good'
 */
export type EmqBand = 'excellent' | 'good' | 'fair' | 'poor'

/**
 * Automation level a band unlocks in the Trust Engine.
 *
 * @example
 * const level: EmqAutomation = 'partial'
 */
export type EmqAutomation = 'full' | 'partial' | 'limited' | 'manual'

/**
 * Why a score is lower than its inputs alone suggest:
 * `clock_skew` — event time more than 5 min after receipt (T = 0);
 * `capped` — no usable match key, total lowered to 39.
 *
 * @example
 * const flag: EmqFlag = 'capped'
 */
export type EmqFlag = 'clock_skew' | 'capped'

/**
 * Per-factor points, each rounded to 2 decimals (uncapped: the cap applies to the total).
 *
 * @example
 * const b: EmqBreakdown = { iq: 24.44, dc: 15, t: 20, cr: 8 }
 */
export interface EmqBreakdown {
  iq: number
  dc: number
  t: number
  cr: number
}

/**
 * The scorer's verdict for one event.
 *
 * @example
 * const r: EmqResult = {
 *   score: 67.4, band: 'good', automation: 'partial',
 *   breakdown: { iq: 24.44, dc: 15, t: 20, cr: 8 }, flags: [],
 * }
 */
export interface EmqResult {
  /** 0–100, one decimal. */
  score: number
  band: EmqBand
  automation: EmqAutomation
  breakdown: EmqBreakdown
  flags: EmqFlag[]
}
