import type { EmqInput, EmqUserDataKey } from './types'

/**
 * DC's share of the 100 EMQ points.
 *
 * @example
 * DC_MAX // 25
 */
export const DC_MAX = 25

/**
 * Split of DC between the event payload (P) and soft PII (S): the payload is
 * what conversion APIs require to accept and value the event; soft PII only
 * sharpens matching, which IQ already rewards.
 *
 * @example
 * DC_PAYLOAD_SHARE + DC_SOFT_SHARE // 1
 */
export const DC_PAYLOAD_SHARE = 0.6
/**
 * See {@link DC_PAYLOAD_SHARE}.
 *
 * @example
 * DC_SOFT_SHARE // 0.4
 */
export const DC_SOFT_SHARE = 0.4

/**
 * Weight of a required payload field: missing one costs twice a recommended one.
 *
 * @example
 * REQUIRED_WEIGHT // 2
 */
export const REQUIRED_WEIGHT = 2
/**
 * Weight of a recommended payload field.
 *
 * @example
 * RECOMMENDED_WEIGHT // 1
 */
export const RECOMMENDED_WEIGHT = 1

/**
 * Soft-PII weights (sum 1). fn and ln only count together: a first name alone
 * matches millions of people. Postcode, country and birth date each cut the
 * candidate set sharply; city/state overlap with postcode; gender barely helps.
 *
 * @example
 * SOFT_FIELD_WEIGHTS.fn_ln // 0.3
 */
export const SOFT_FIELD_WEIGHTS = {
  fn_ln: 0.3,
  zp: 0.15,
  country: 0.15,
  db: 0.15,
  ct: 0.1,
  st: 0.1,
  ge: 0.05,
} as const

/** Payload fields checked in `properties`. */
type PayloadField = 'value' | 'currency' | 'order_id' | 'content_ids' | 'num_items'

// Maps, not object literals: an event named `constructor` or `__proto__` must
// not pick up Object.prototype members as "field lists".
const REQUIRED_BY_EVENT: ReadonlyMap<string, readonly PayloadField[]> = new Map([['Purchase', ['value', 'currency']]])

const COMMERCE_RECOMMENDED: readonly PayloadField[] = ['value', 'currency', 'content_ids']
const RECOMMENDED_BY_EVENT: ReadonlyMap<string, readonly PayloadField[]> = new Map([
  ['Purchase', ['order_id', 'content_ids', 'num_items']],
  ['AddToCart', COMMERCE_RECOMMENDED],
  ['ViewContent', COMMERCE_RECOMMENDED],
  ['InitiateCheckout', COMMERCE_RECOMMENDED],
  ['Lead', ['value', 'currency']],
])

// Built once: ICU's list of current ISO-4217 codes (Node 20), upper case.
const ISO_4217 = new Set(Intl.supportedValuesOf('currency'))

/**
 * Whether a value is a current ISO-4217 currency code, case-insensitively.
 *
 * @example
 * isValidCurrency('usd')  // true
 * isValidCurrency('EURO') // false
 */
export function isValidCurrency(value: unknown): boolean {
  // Length check first: rejects most junk without allocating an upper-cased copy.
  return typeof value === 'string' && value.length === 3 && ISO_4217.has(value.toUpperCase())
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0
}

/**
 * Presence rules. `value` must be a finite number and `currency` valid ISO-4217
 * wherever they appear (a value the ad platform rejects is not "present");
 * `order_id` is a non-empty string or a finite number; `content_ids` a
 * non-empty array; `num_items` a finite number.
 */
function hasPayloadField(properties: Record<string, unknown>, field: PayloadField): boolean {
  const value = properties[field]
  switch (field) {
    case 'value':
    case 'num_items':
      return isFiniteNumber(value)
    case 'currency':
      return isValidCurrency(value)
    case 'order_id':
      return isNonEmptyString(value) || isFiniteNumber(value)
    case 'content_ids':
      return Array.isArray(value) && value.length > 0
  }
}

/**
 * P: weighted share of the payload fields the event type calls for. Every event
 * requires `event_id` (dedup with the browser/server twin) and `action_source`;
 * Purchase requires a value and currency; commerce events and Lead recommend
 * them; web events (`action_source: 'website'`) recommend the page URL.
 *
 * @example
 * payloadCompleteness({
 *   eventName: 'PageView', eventId: 'e1', actionSource: 'website',
 *   properties: {}, context: { page: { url: 'https://shop.example/' } },
 * }) // 1
 */
export function payloadCompleteness(
  input: Pick<EmqInput, 'eventName' | 'eventId' | 'actionSource' | 'properties' | 'context'>,
): number {
  let possible = 2 * REQUIRED_WEIGHT
  let present = 0
  if (isNonEmptyString(input.eventId)) present += REQUIRED_WEIGHT
  if (isNonEmptyString(input.actionSource)) present += REQUIRED_WEIGHT

  const required = REQUIRED_BY_EVENT.get(input.eventName)
  if (required !== undefined) {
    for (const field of required) {
      possible += REQUIRED_WEIGHT
      if (hasPayloadField(input.properties, field)) present += REQUIRED_WEIGHT
    }
  }
  const recommended = RECOMMENDED_BY_EVENT.get(input.eventName)
  if (recommended !== undefined) {
    for (const field of recommended) {
      possible += RECOMMENDED_WEIGHT
      if (hasPayloadField(input.properties, field)) present += RECOMMENDED_WEIGHT
    }
  }
  if (input.actionSource === 'website') {
    possible += RECOMMENDED_WEIGHT
    if (isNonEmptyString(input.context.page?.url)) present += RECOMMENDED_WEIGHT
  }
  return present / possible
}

/**
 * S: weighted share of hashed soft-PII fields present (values are hashes, so
 * only presence can be judged).
 *
 * @example
 * softFieldCompleteness({ fn: 'h1', ln: 'h2', zp: 'h3' }) // 0.45
 * softFieldCompleteness({ fn: 'h1' }) // 0 — a first name alone does not count
 */
export function softFieldCompleteness(userData: EmqInput['userData']): number {
  let share = 0
  if (has(userData, 'fn') && has(userData, 'ln')) share += SOFT_FIELD_WEIGHTS.fn_ln
  if (has(userData, 'zp')) share += SOFT_FIELD_WEIGHTS.zp
  if (has(userData, 'country')) share += SOFT_FIELD_WEIGHTS.country
  if (has(userData, 'db')) share += SOFT_FIELD_WEIGHTS.db
  if (has(userData, 'ct')) share += SOFT_FIELD_WEIGHTS.ct
  if (has(userData, 'st')) share += SOFT_FIELD_WEIGHTS.st
  if (has(userData, 'ge')) share += SOFT_FIELD_WEIGHTS.ge
  return share
}

function has(userData: EmqInput['userData'], key: EmqUserDataKey): boolean {
  return isNonEmptyString(userData[key])
}

/**
 * DC = 25 · (0.6·P + 0.4·S).
 *
 * @example
 * scoreDataCompleteness({
 *   eventName: 'Lead', eventId: 'e1', actionSource: 'system_generated',
 *   properties: {}, context: {}, userData: {},
 * }) // 25 · 0.6 · 4/6 = 10
 */
export function scoreDataCompleteness(
  input: Pick<EmqInput, 'eventName' | 'eventId' | 'actionSource' | 'properties' | 'context' | 'userData'>,
): number {
  return DC_MAX * (DC_PAYLOAD_SHARE * payloadCompleteness(input) + DC_SOFT_SHARE * softFieldCompleteness(input.userData))
}
