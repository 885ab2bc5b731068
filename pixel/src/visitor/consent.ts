import type { ConsentDecision } from '../types'
import type { PersistedValue } from './persisted-value'

/**
 * The cookie holding the visitor's decision (`a1m0`: analytics granted, marketing denied).
 *
 * @example
 * createPersistedValue(CONSENT_COOKIE, persistence, ANONYMOUS_ID_MAX_AGE_SECONDS)
 */
export const CONSENT_COOKIE = 'stratum_consent'

/**
 * What to do with an event given the consent state.
 *
 * @example
 * if (consent.route() === 'hold') held.add(event)
 */
export type ConsentRoute = 'send' | 'hold' | 'drop'

/**
 * The visitor's consent, with Global Privacy Control applied.
 *
 * @example
 * consent.decide({ analytics: true }) // { analytics: true, marketing: false }
 */
export interface ConsentState {
  /** The decision to stamp on events; `undefined` while one is required but not made. */
  current(): ConsentDecision | undefined
  /** Send, hold until a decision, or drop (analytics denied). */
  route(): ConsentRoute
  /** Records a decision; missing purposes keep their previous value. Returns the effective decision. */
  decide(decision: Partial<ConsentDecision>): ConsentDecision
}

/**
 * Consent state persisted in a cookie (so every subdomain honours one
 * decision). Without `requireConsent`, events flow from the start with
 * analytics granted and marketing granted unless Global Privacy Control is
 * on. With it, events are held until `decide()`. GPC (`Sec-GPC: 1`, exposed as
 * `navigator.globalPrivacyControl`) is a legally binding opt-out of sale and
 * sharing (CCPA/CPRA), so it denies marketing whatever the stored decision.
 *
 * @example
 * const consent = createConsentState(createPersistedValue(CONSENT_COOKIE, persistence, 395 * 86400), true, false)
 * consent.route() // 'hold'
 * consent.decide({ analytics: true, marketing: false })
 * consent.route() // 'send'
 */
export function createConsentState(value: PersistedValue, requireConsent: boolean, gpc: boolean): ConsentState {
  const stored = (): ConsentDecision | undefined => {
    const match = /^a([01])m([01])$/.exec(value.get() || '')
    if (match) return { analytics: match[1] === '1', marketing: match[2] === '1' && !gpc }
    return requireConsent ? undefined : { analytics: true, marketing: !gpc }
  }
  return {
    current: stored,
    route() {
      const decision = stored()
      return decision ? (decision.analytics ? 'send' : 'drop') : 'hold'
    },
    decide(decision) {
      const previous = stored() || { analytics: false, marketing: false }
      const analytics = decision.analytics ?? previous.analytics
      const marketing = (decision.marketing ?? previous.marketing) && !gpc
      value.set(`a${+analytics}m${+marketing}`)
      return { analytics, marketing }
    },
  }
}
