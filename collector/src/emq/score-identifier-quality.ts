import type { EmqClickIds, EmqIdentifier } from './types'

/**
 * IQ's share of the 100 EMQ points: the largest, because without a matchable
 * identifier nothing else about the event can be attributed to a person.
 *
 * @example
 * IQ_MAX // 40
 */
export const IQ_MAX = 40

/**
 * Union probability at which IQ is full. Matching is probabilistic on the ad
 * platforms' side: a handful of good keys already saturates the match rate,
 * so U ≥ 0.9 (e.g. email + click id + phone) earns the full 40.
 *
 * @example
 * IQ_SATURATION // 0.9
 */
export const IQ_SATURATION = 0.9

/**
 * Match-key weights w (collector/docs/emq.md): roughly how likely the key alone lets an ad
 * platform find the person. Email is the most portable key; a click id ties
 * the event to one ad click; an anonymous id is only first-party.
 *
 * @example
 * IQ_WEIGHTS.email // 0.55
 */
export const IQ_WEIGHTS = {
  email: 0.55,
  click_id: 0.45,
  phone: 0.4,
  external_id: 0.3,
  browser_id: 0.2,
  device_id: 0.1,
  anonymous_id: 0.05,
} as const

/**
 * Quality of a usable but weaker identifier: a shared device/anonymous id
 * (it may be several people) or a phone whose country was guessed from the
 * default (it may be the wrong number).
 *
 * @example
 * DEGRADED_QUALITY // 0.5
 */
export const DEGRADED_QUALITY = 0.5

/**
 * Quality q of one identifier: 1 valid, 0.5 degraded (shared or default-country
 * phone — both flags together are still 0.5, they describe the same doubt),
 * 0 junk or invalid (never used for matching, §4).
 *
 * @example
 * identifierQuality({ type: 'phone', status: 'valid', degraded: true }) // 0.5
 * identifierQuality({ type: 'email', status: 'junk' }) // 0
 */
export function identifierQuality(identifier: EmqIdentifier): number {
  if (identifier.status !== 'valid') return 0
  return identifier.degraded === true || identifier.shared === true ? DEGRADED_QUALITY : 1
}

/**
 * A click id or browser id is usable when it is a non-empty string.
 *
 * @example
 * isUsableClickId('fb.1.1700000000000.AbCd') // true
 * isUsableClickId('') // false
 */
export function isUsableClickId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0
}

/**
 * Whether any ad click id (`fbc`, `gclid`, `ttclid`) is usable. They are one
 * key for IQ: an event comes from at most one ad click, so several ids do not
 * add up, the best one counts.
 *
 * @example
 * hasClickId({ gclid: 'Cj0KCQ' }) // true
 * hasClickId({ fbp: 'fb.1.1.2' }) // false — fbp is a browser id, not a click id
 */
export function hasClickId(clickIds: EmqClickIds | undefined): boolean {
  if (clickIds === undefined) return false
  return isUsableClickId(clickIds.fbc) || isUsableClickId(clickIds.gclid) || isUsableClickId(clickIds.ttclid)
}

/**
 * IQ = 40 · min(1, U / 0.9), U = 1 − Π(1 − w·q) over the keys. Each key counts
 * once with its best q (two valid emails do not double the chance that the
 * platform knows the person; one valid email beats a junk one).
 *
 * @example
 * scoreIdentifierQuality([{ type: 'email', status: 'valid' }], undefined) // 24.44…
 * scoreIdentifierQuality(
 *   [{ type: 'email', status: 'valid' }, { type: 'phone', status: 'valid' }], undefined,
 * ) // 32.44…
 */
export function scoreIdentifierQuality(
  identifiers: readonly EmqIdentifier[],
  clickIds: EmqClickIds | undefined,
): number {
  // Plain locals instead of a Map: this runs for every ingested event.
  let email = 0
  let phone = 0
  let externalId = 0
  let deviceId = 0
  let anonymousId = 0
  for (const identifier of identifiers) {
    const q = identifierQuality(identifier)
    switch (identifier.type) {
      case 'email':
        if (q > email) email = q
        break
      case 'phone':
        if (q > phone) phone = q
        break
      case 'external_id':
        if (q > externalId) externalId = q
        break
      case 'device_id':
        if (q > deviceId) deviceId = q
        break
      case 'anonymous_id':
        if (q > anonymousId) anonymousId = q
        break
      // An unknown type (should not pass validation) earns nothing.
    }
  }
  const clickId = hasClickId(clickIds) ? 1 : 0
  const browserId = isUsableClickId(clickIds?.fbp) ? 1 : 0

  // Probability that *no* key matches, assuming independent keys.
  const missAll =
    (1 - IQ_WEIGHTS.email * email) *
    (1 - IQ_WEIGHTS.click_id * clickId) *
    (1 - IQ_WEIGHTS.phone * phone) *
    (1 - IQ_WEIGHTS.external_id * externalId) *
    (1 - IQ_WEIGHTS.browser_id * browserId) *
    (1 - IQ_WEIGHTS.device_id * deviceId) *
    (1 - IQ_WEIGHTS.anonymous_id * anonymousId)
  return IQ_MAX * Math.min(1, (1 - missAll) / IQ_SATURATION)
}

/**
 * Whether the event carries a key an ad platform can match on outside our own
 * first-party ids: a valid (degraded counts) email, phone or external_id, or a
 * click id or browser id. Without one, EMQ is capped at 39 (Poor), however
 * rich the rest of the event is.
 *
 * @example
 * hasUsableMatchKey([{ type: 'anonymous_id', status: 'valid' }], undefined) // false
 * hasUsableMatchKey([{ type: 'phone', status: 'valid', degraded: true }], undefined) // true
 */
export function hasUsableMatchKey(
  identifiers: readonly EmqIdentifier[],
  clickIds: EmqClickIds | undefined,
): boolean {
  if (hasClickId(clickIds) || isUsableClickId(clickIds?.fbp)) return true
  for (const identifier of identifiers) {
    if (
      identifier.status === 'valid' &&
      (identifier.type === 'email' || identifier.type === 'phone' || identifier.type === 'external_id')
    ) {
      return true
    }
  }
  return false
}
