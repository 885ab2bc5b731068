import { type RawBuilder, sql } from 'kysely'
import { STANDARD_EVENT_NAMES } from './standard-event-names'
import { CR_POINTS } from './score-context-richness'
import { isValidCurrency, scoreDataCompleteness } from './score-data-completeness'
import { IQ_MAX, IQ_SATURATION, IQ_WEIGHTS } from './score-identifier-quality'
import { T_MAX } from './score-timeliness'
import type { EmqInput } from './types'

/**
 * The EMQ factors a missing field would raise.
 *
 * @example
 * const factor: GainFactor = 'iq'
 */
export type GainFactor = 'iq' | 'dc' | 't' | 'cr'

/**
 * Something an event could have carried and did not, with what carrying it
 * would do to each factor. `missing` reads the stored event row; the other
 * fragments read the facts `missingFieldGainsQuery` computes once per event:
 * the stored breakdown as `iq`, `dc`, `t`, `cr` (floats), `has_campaign`,
 * `event_name` and `action_source`.
 *
 * @example
 * const zip = MISSING_FIELDS.find((f) => f.field === 'zp')
 */
export interface MissingField {
  field: string
  factors: readonly GainFactor[]
  /** The message's subject: `${problem} on 62% of Purchase events: +9.1 mean EMQ`. */
  problem: string
  /** True when the field is absent *and* would count for this event. */
  missing: RawBuilder<boolean>
  /** IQ with the field present; unchanged when absent. */
  iq?: RawBuilder<number>
  /** Points DC gains with the field present. */
  dcGain?: RawBuilder<number>
  /** T with the field (prompt delivery) present. */
  t?: RawBuilder<number>
  /** Points CR gains with the field present. */
  crGain?: RawBuilder<number>
  /** Whether the field is a match key that lifts the 39 cap. */
  liftsCap?: boolean
}

/**
 * SQL: one factor of the stored breakdown (`emq_breakdown.iq` …) as a float.
 *
 * @example
 * sql`SELECT ${breakdown('iq')} AS iq FROM events`
 */
export function breakdown(factor: GainFactor): RawBuilder<number> {
  return sql<number>`(emq_breakdown ->> ${sql.lit(factor)})::float8`
}

const text = (path: RawBuilder<unknown>) => sql<boolean>`coalesce(${path}, '') <> ''`
// A predicate on an absent JSON key is NULL, and NOT NULL is not true.
const absent = (present: RawBuilder<boolean>) => sql<boolean>`NOT coalesce(${present}, false)`
// Constants go in as literals, not parameters: `->>` takes text or an index,
// so an untyped parameter would be ambiguous, and EXPLAIN shows the real SQL.
const lit = (value: number | string) => sql.lit(value)
const contextText = (...path: string[]) => sql<string>`context #>> ${lit(`{${path.join(',')}}`)}`
const WEB = sql<boolean>`coalesce(action_source = 'website', false)`
const hasValid = (type: string) => sql<boolean>`identifiers @> ${lit(JSON.stringify([{ type, status: 'valid' }]))}`

/**
 * SQL: the event has a valid identifier of a type that is a match key (the
 * 39 cap does not apply), mirroring `hasUsableMatchKey`.
 *
 * @example
 * sql`SELECT ${HAS_IDENTIFIER_KEY} OR ${HAS_CLICK_ID} OR ${HAS_FBP} FROM events`
 */
export const HAS_IDENTIFIER_KEY = sql<boolean>`(${hasValid('email')} OR ${hasValid('phone')} OR ${hasValid('external_id')})`

/**
 * SQL: a usable ad click id (`fbc`, `gclid`, `ttclid`), mirroring `hasClickId`.
 *
 * @example
 * sql`SELECT ${HAS_CLICK_ID} FROM events`
 */
export const HAS_CLICK_ID = sql<boolean>`(${sql.join(
  ['fbc', 'gclid', 'ttclid'].map((id) => text(contextText('click_ids', id))),
  sql` OR `,
)})`

/**
 * SQL: a usable Meta browser id (`fbp`).
 *
 * @example
 * sql`SELECT ${HAS_FBP} FROM events`
 */
export const HAS_FBP = text(contextText('click_ids', 'fbp'))

/**
 * SQL: a campaign with at least one non-empty value (`{utm_source: ""}` is not one).
 *
 * @example
 * sql`SELECT ${HAS_CAMPAIGN} FROM events`
 */
export const HAS_CAMPAIGN = sql<boolean>`jsonb_path_exists(context, '$.campaign.* ? (@ != "" && @ != null)')`

/**
 * IQ once a key of weight `w` is added, from the stored IQ alone: below the
 * ceiling `U = iq · 0.9 / 40` exactly, so the miss probability `1 − U` is
 * multiplied by `1 − w` (keys are independent in the formula). At the
 * ceiling U is unknown but ≥ 0.9, and the new IQ is 40 either way.
 */
function iqWith(w: number): RawBuilder<number> {
  const s = lit(IQ_SATURATION)
  const max = lit(IQ_MAX)
  return sql`LEAST(${max}, ${max} * (1 - (1 - iq * ${s} / ${max}) * (1 - ${lit(w)})) / ${s})`
}

function identifierKey(field: string, w: number, present: RawBuilder<boolean>, problem = `${field} missing`): MissingField {
  return { field, factors: ['iq'], problem, missing: absent(present), iq: iqWith(w), liftsCap: true }
}

/** An event that carries nothing optional: the base DC gains are measured from. */
function bareEvent(eventName: string, actionSource: string | undefined): EmqInput {
  return {
    eventName,
    eventId: 'e',
    actionSource,
    identifiers: [],
    userData: {},
    properties: {},
    context: {},
    eventTime: new Date(0),
    receivedAt: new Date(0),
  }
}

// Every name the scorer can have payload rules for; any other (custom) name
// is scored like `CustomEvent`.
const EVENT_NAMES: readonly string[] = STANDARD_EVENT_NAMES
const CUSTOM = 'CustomEvent'

/**
 * SQL: the DC points a change to the event adds, per event type. P is a
 * weighted share of fields whose denominator depends only on the event name
 * and on whether it is a web event, so adding one field adds the same points
 * to every event of a type. The points come from `scoreDataCompleteness`
 * itself (with and without the field), not from a copy of its tables. Only
 * names that differ from a custom event's are spelled out.
 */
function dcGainByType(
  change: (event: EmqInput) => EmqInput,
  base: (eventName: string, web: boolean) => EmqInput = (name, web) => bareEvent(name, web ? 'website' : 'other'),
): RawBuilder<number> {
  const gain = (name: string, web: boolean) => {
    const before = base(name, web)
    return scoreDataCompleteness(change(before)) - scoreDataCompleteness(before)
  }
  const byWeb = (name: string) => sql<number>`CASE WHEN ${WEB} THEN ${lit(gain(name, true))} ELSE ${lit(gain(name, false))} END`
  const special = EVENT_NAMES.filter((n) => gain(n, true) !== gain(CUSTOM, true) || gain(n, false) !== gain(CUSTOM, false))
  if (special.length === 0) return byWeb(CUSTOM)
  return sql<number>`CASE ${sql.join(
    special.map((n) => sql`WHEN event_name = ${lit(n)} THEN ${byWeb(n)}`),
    sql` `,
  )} ELSE ${byWeb(CUSTOM)} END`
}

function payloadField(
  field: string,
  present: RawBuilder<boolean>,
  value: unknown,
  problem = `${field} missing`,
): MissingField {
  const dcGain = dcGainByType((e) => ({ ...e, properties: { [field]: value } }))
  // A payload field the event type does not call for is not missing.
  return { field, factors: ['dc'], problem, missing: sql`${absent(present)} AND ${dcGain} > 0`, dcGain }
}

function softField(field: string, keys: readonly string[], problem: string): MissingField {
  const present = sql<boolean>`(${sql.join(
    keys.map((k) => text(sql`user_data ->> ${lit(k)}`)),
    sql` AND `,
  )})`
  // S does not depend on the event type, so neither does the gain (25 · 0.4 · weight).
  const withSoft = (userData: EmqInput['userData']) => scoreDataCompleteness({ ...bareEvent(CUSTOM, undefined), userData })
  const gain = withSoft(Object.fromEntries(keys.map((k) => [k, 'h']))) - withSoft({})
  return { field, factors: ['dc'], problem, missing: absent(present), dcGain: sql`${lit(gain)}` }
}

function contextField(field: string, present: RawBuilder<boolean>, points: number, problem: string): MissingField {
  return { field, factors: ['cr'], problem, missing: absent(present), crGain: sql`${lit(points)}` }
}

// ICU's list is the candidate set; the scorer's own predicate decides.
const CURRENCIES = Intl.supportedValuesOf('currency').filter(isValidCurrency).join(',')

const isNumber = (key: string) => sql<boolean>`jsonb_typeof(properties -> ${lit(key)}) = 'number'`
const pageUrl = text(contextText('page', 'url'))
const pageUrlDc = dcGainByType((e) => ({ ...e, context: { page: { url: 'u' } } }))

/**
 * What `GET /emq` looks for, in tie-break order. Gains are measured with the
 * scorer's own constants and functions; what cannot be judged from a stored
 * event is left out: whether the client (rather than the server) made the
 * `event_id`, and a phone's default-country degradation, which is not stored.
 *
 * @example
 * MISSING_FIELDS.map((f) => f.field) // ['email', 'phone', 'external_id', 'click_id', 'fbp', 'fn_ln', …]
 */
export const MISSING_FIELDS: readonly MissingField[] = [
  identifierKey('email', IQ_WEIGHTS.email, hasValid('email'), 'valid email missing'),
  identifierKey('phone', IQ_WEIGHTS.phone, hasValid('phone'), 'valid phone missing'),
  identifierKey('external_id', IQ_WEIGHTS.external_id, hasValid('external_id')),
  {
    ...identifierKey('click_id', IQ_WEIGHTS.click_id, HAS_CLICK_ID, 'click id (fbc, gclid or ttclid) missing'),
    factors: ['iq', 'cr'],
    // A click id also earns the campaign point when there is no UTM.
    crGain: sql`CASE WHEN has_campaign THEN 0 ELSE ${lit(CR_POINTS.campaignOrClickId)} END`,
  },
  identifierKey('fbp', IQ_WEIGHTS.browser_id, HAS_FBP, 'browser id (fbp) missing'),
  softField('fn_ln', ['fn', 'ln'], 'first and last name (fn + ln) missing'),
  softField('zp', ['zp'], 'zip (zp) missing'),
  softField('country', ['country'], 'country missing'),
  softField('db', ['db'], 'date of birth (db) missing'),
  softField('ct', ['ct'], 'city (ct) missing'),
  softField('st', ['st'], 'state (st) missing'),
  softField('ge', ['ge'], 'gender (ge) missing'),
  payloadField('value', isNumber('value'), 1, 'numeric value missing'),
  payloadField(
    'currency',
    sql`upper(properties ->> 'currency') = ANY (string_to_array(${lit(CURRENCIES)}, ','))`,
    'EUR',
    'valid ISO-4217 currency missing',
  ),
  payloadField(
    'order_id',
    sql`(${isNumber('order_id')} OR (jsonb_typeof(properties -> 'order_id') = 'string' AND properties ->> 'order_id' <> ''))`,
    'o',
  ),
  payloadField(
    'content_ids',
    sql`(jsonb_typeof(properties -> 'content_ids') = 'array' AND properties -> 'content_ids' <> '[]'::jsonb)`,
    ['c'],
  ),
  payloadField('num_items', isNumber('num_items'), 1),
  {
    field: 'action_source',
    factors: ['dc'],
    problem: 'action_source missing',
    missing: sql`action_source IS NULL`,
    // Measured as a non-web source: a web one would also start asking for the page URL.
    dcGain: dcGainByType(
      (e) => ({ ...e, actionSource: 'other' }),
      (name) => bareEvent(name, undefined),
    ),
  },
  {
    field: 'page_url',
    factors: ['dc', 'cr'],
    problem: 'page URL missing',
    missing: absent(pageUrl),
    dcGain: pageUrlDc,
    crGain: sql`${lit(CR_POINTS.pageUrl)}`,
  },
  contextField('referrer', text(contextText('page', 'referrer')), CR_POINTS.referrer, 'referrer missing'),
  contextField('campaign', sql`(${HAS_CAMPAIGN} OR ${HAS_CLICK_ID})`, CR_POINTS.campaignOrClickId, 'UTM parameters missing'),
  contextField(
    'locale',
    sql`(${text(sql`context ->> 'locale'`)} OR ${text(sql`context ->> 'timezone'`)})`,
    CR_POINTS.localeOrTimezone,
    'locale or timezone missing',
  ),
  // Only an absent one: a bot's user agent or a private IP is there, it just earns nothing.
  contextField('user_agent', text(sql`user_agent`), CR_POINTS.userAgent, 'user agent missing'),
  contextField('client_ip', sql`client_ip IS NOT NULL`, CR_POINTS.publicIp, 'client IP missing'),
  {
    field: 'prompt_delivery',
    factors: ['t'],
    problem: 'sent more than 5 min late (or with a skewed clock)',
    missing: sql`${breakdown('t')} < ${lit(T_MAX)}`,
    t: sql`${lit(T_MAX)}`,
  },
]
