import type { IdentifiedUser } from '../identify/identified-user'
import { createKeyValueStore } from '../key-value-store'
import { parseJson } from '../safe'
import type { StratumOptions } from '../types'
import { uuid } from '../uuid'
import { ANONYMOUS_ID_COOKIE, ANONYMOUS_ID_MAX_AGE_SECONDS, createAnonymousId } from './anonymous-id'
import {
  type AttributionStores,
  CAMPAIGN_KEY,
  CAMPAIGN_MAX_AGE_SECONDS,
  CLICK_ID_MAX_AGE_SECONDS,
  FBC_COOKIE,
  FBP_COOKIE,
  GCLID_COOKIE,
} from './click-ids'
import { CONSENT_COOKIE, createConsentState } from './consent'
import { findCookieDomain } from './cookie-domain'
import { documentCookies, readCookie } from './cookies'
import { createDeviceId, DEVICE_ID_KEY } from './device-id'
import { createPersistedValue, type PersistenceContext } from './persisted-value'
import { createSession, SESSION_TIMEOUT_MS } from './session'

/**
 * Everything the pixel remembers about the visitor, on their device, for
 * `location`'s site. Consent, and the pending consent record, are always
 * stored (remembering a refusal is strictly necessary); identifiers, session,
 * attribution and the device id stay in memory until analytics consent
 * allows writing them to the device.
 *
 * @example
 * const visitor = createVisitorState(options, loadVisitorId)
 * visitor.anonymousId.get()
 */
export function createVisitorState(options: StratumOptions, loadVisitorId: () => Promise<string>) {
  const store = createKeyValueStore(() => window.localStorage)
  const cookies = documentCookies(document)
  const secure = location.protocol === 'https:'
  const cookieDomain = options.cookieDomain || findCookieDomain(location.hostname, cookies, secure)
  const always: PersistenceContext = { store, cookies, cookieDomain, secure, canPersist: () => true }
  const gpc = (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true
  const consent = createConsentState(
    createPersistedValue(CONSENT_COOKIE, always, ANONYMOUS_ID_MAX_AGE_SECONDS),
    !!options.requireConsent,
    gpc,
  )
  const gated: PersistenceContext = { ...always, canPersist: () => consent.route() === 'send' }
  const aidValue = createPersistedValue(ANONYMOUS_ID_COOKIE, gated, ANONYMOUS_ID_MAX_AGE_SECONDS)
  const sessionValue = createPersistedValue('stratum_sid', gated, SESSION_TIMEOUT_MS / 1000)
  const userValue = createPersistedValue('stratum_user', gated, 0)
  const attribution: AttributionStores = {
    fbc: createPersistedValue(FBC_COOKIE, gated, CLICK_ID_MAX_AGE_SECONDS),
    gclid: createPersistedValue(GCLID_COOKIE, gated, CLICK_ID_MAX_AGE_SECONDS),
    campaign: createPersistedValue(CAMPAIGN_KEY, gated, CAMPAIGN_MAX_AGE_SECONDS),
    fbp: () => readCookie(cookies, FBP_COOKIE),
  }
  const identityValues = [aidValue, sessionValue, userValue]
  const anonymousId = createAnonymousId(aidValue, uuid)
  const session = createSession(sessionValue, Date.now, uuid)
  return {
    store,
    consent,
    anonymousId,
    session,
    attribution,
    device: createDeviceId(createPersistedValue(DEVICE_ID_KEY, gated, 0), loadVisitorId),
    consentSync: createPersistedValue('stratum_consent_sync', always, 0),
    /** Hashed identifiers and user data from `identify()`. */
    user: (): IdentifiedUser => parseJson(userValue.get(), { identifiers: [], user_data: {} }),
    setUser: (user: IdentifiedUser) => userValue.set(JSON.stringify(user)),
    /** A new visitor (`reset()`): new anonymous id and session, no identified user. */
    reset() {
      anonymousId.reset()
      session.end()
      userValue.remove()
    },
    /** Writes identifiers kept in memory while consent was pending to the device. */
    persistIdentity() {
      for (const value of identityValues) {
        const known = value.get()
        if (known) value.set(known)
      }
    },
    /** Removes identifiers from the device (analytics consent refused). */
    eraseIdentity() {
      for (const value of identityValues) value.remove()
    },
    /** Removes advertising identifiers (marketing consent refused). */
    eraseMarketingIds() {
      attribution.fbc.remove()
      attribution.gclid.remove()
    },
  }
}

/**
 * The visitor's stored state, see {@link createVisitorState}.
 *
 * @example
 * const visitor: VisitorState = createVisitorState(options, loadVisitorId)
 */
export type VisitorState = ReturnType<typeof createVisitorState>
