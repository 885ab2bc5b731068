import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { Database } from '../db/schema'
import {
  breakdown,
  type GainFactor,
  HAS_CAMPAIGN,
  HAS_CLICK_ID,
  HAS_FBP,
  HAS_IDENTIFIER_KEY,
  MISSING_FIELDS,
  type MissingField,
} from './missing-fields'
import { EMQ_CAP_WITHOUT_MATCH_KEY } from './score-emq'
import { narrowestFirst, type PerScope, type SignalWindow, windowStart } from './signal-windows'

/**
 * Most recent events of the widest window that gains are estimated from.
 * Counts, means, percentiles and bands are exact over the whole window (an
 * index-only scan); gains need each event's JSON, so past this many events
 * they are estimated from the newest ones, which also describe what the
 * sources send *now*.
 *
 * @example
 * GAINS_SAMPLE_LIMIT // 50000
 */
export const GAINS_SAMPLE_LIMIT = 50_000

/**
 * One missing field of one event type, and what adding it would do.
 *
 * @example
 * const gain: MissingFieldGain = {
 *   field: 'email', factors: ['iq'], eventName: 'Purchase', events: 50, missing: 31,
 *   gain: 9.12, message: 'valid email missing on 62% of Purchase events: +9.1 mean EMQ',
 * }
 */
export interface MissingFieldGain {
  field: string
  factors: readonly GainFactor[]
  eventName: string
  /** Events of this name in the sample. */
  events: number
  /** Of those, the ones the field is missing from. */
  missing: number
  /** Rise of the scope's mean EMQ if every one of them carried the field. */
  gain: number
  message: string
}

/**
 * Missing-field gains of one scope and window.
 *
 * @example
 * const g: ScopeGains = { basedOnEvents: 120, top: [] }
 */
export interface ScopeGains {
  /** Events the gains were measured on: the whole window unless it holds more than `GAINS_SAMPLE_LIMIT`. */
  basedOnEvents: number
  top: MissingFieldGain[]
}

/**
 * Gains per window, for the tenant and per `source_id` (null: server events).
 *
 * @example
 * const { tenant } = await loadMissingFieldGains(trx, tenantId, { now, windows: ['24h', '7d'], top: 5 })
 * tenant['7d'].top[0]?.message
 */
export type MissingFieldGains<W extends SignalWindow> = PerScope<W, ScopeGains>

/** What `loadMissingFieldGains` reads. */
export interface GainsOptions<W extends SignalWindow> {
  now: Date
  windows: readonly W[]
  /** Gains kept per scope and window, largest first. */
  top: number
  /** Sample size; `GAINS_SAMPLE_LIMIT` by default. */
  limit?: number
}

const capped = (total: RawBuilder<number>, hasKey: RawBuilder<boolean>) =>
  sql<number>`CASE WHEN ${hasKey} THEN ${total} ELSE LEAST(${total}, ${sql.lit(EMQ_CAP_WITHOUT_MATCH_KEY)}) END`

const missingFlag = (i: number) => sql.id(`m_${i}`)

/**
 * Per-event gain of field `i`, in SQL: the capped total with the field
 * present minus the capped total as stored. Both come from the stored
 * breakdown (each factor rounded to 2 decimals), so an event the field would
 * not change gains exactly 0, and one the cap holds at 39 gains nothing from
 * a field that is not a match key.
 */
function gainOf(field: MissingField, i: number): RawBuilder<number> {
  const iq = field.iq ?? sql`iq`
  const t = field.t ?? sql`t`
  const dc = field.dcGain ? sql`dc + ${field.dcGain}` : sql`dc`
  const cr = field.crGain ? sql`cr + ${field.crGain}` : sql`cr`
  const after = capped(sql`${iq} + ${dc} + ${t} + ${cr}`, field.liftsCap ? sql`true` : sql`has_key`)
  return sql`CASE WHEN ${missingFlag(i)} THEN ${after} - ${capped(sql`iq + dc + t + cr`, sql`has_key`)} ELSE 0 END`
}

/**
 * The gains query: the newest `limit` events of the widest window (a backward
 * scan of `events_emq_window`, then their rows), each tagged with the
 * narrowest window it falls in; for every field of `MISSING_FIELDS`, the
 * count of events missing it (`m_<i>`) and the sum of their gains (`g_<i>`),
 * per window bucket, event name and source. Exported so that tests and docs
 * can `EXPLAIN` it.
 *
 * @example
 * const plan = await sql`EXPLAIN ${missingFieldGainsQuery(tenantId, { now, windows: ['24h', '7d'], top: 5 })}`.execute(trx)
 */
export function missingFieldGainsQuery(
  tenantId: string,
  options: GainsOptions<SignalWindow>,
): RawBuilder<Record<string, unknown>> {
  // Narrowest first, so that CASE picks the narrowest window an event is in.
  const starts = narrowestFirst(options.windows).map((w) => windowStart(w, options.now))
  const bucket = sql`CASE ${sql.join(
    starts.map((start, i) => sql`WHEN received_at >= ${start}::timestamptz THEN ${sql.lit(i)}`),
    sql` `,
  )} END`
  const flags = MISSING_FIELDS.map((field, i) => sql`${field.missing} AS ${missingFlag(i)}`)
  const sums = MISSING_FIELDS.map(
    (field, i) =>
      sql`(count(*) FILTER (WHERE ${missingFlag(i)}))::int AS ${missingFlag(i)}, sum(${gainOf(field, i)})::float8 AS ${sql.id(`g_${i}`)}`,
  )
  // MATERIALIZED: each JSON predicate runs once per event. Inlined, every
  // use of `iq` or `has_key` in the gain expressions would re-read the JSON
  // (three times slower at 50 000 events). Sums add up, so the tenant's are
  // the sources' added together in TypeScript: no GROUPING SETS, no sort.
  return sql`
    WITH recent AS (
      SELECT received_at, source_id, event_name, action_source, identifiers, user_data, properties, context,
        client_ip, user_agent, emq_breakdown
      FROM events
      WHERE tenant_id = ${tenantId}::uuid
        AND received_at >= ${starts.at(-1)!}::timestamptz
        AND received_at <= ${options.now}::timestamptz
        AND emq IS NOT NULL AND emq_breakdown IS NOT NULL
      ORDER BY received_at DESC
      LIMIT ${sql.lit(options.limit ?? GAINS_SAMPLE_LIMIT)}
    ), facts AS MATERIALIZED (
      SELECT ${bucket} AS bucket, source_id, event_name, action_source,
        ${breakdown('iq')} AS iq, ${breakdown('dc')} AS dc, ${breakdown('t')} AS t, ${breakdown('cr')} AS cr,
        ${HAS_IDENTIFIER_KEY} OR ${HAS_CLICK_ID} OR ${HAS_FBP} AS has_key, ${HAS_CAMPAIGN} AS has_campaign,
        ${sql.join(flags)}
      FROM recent
    )
    SELECT bucket, event_name, source_id, count(*)::int AS events, ${sql.join(sums)}
    FROM facts
    GROUP BY bucket, event_name, source_id
  `
}

// The tenant's tallies sit beside the sources' under a key no source id can be.
const TENANT = Symbol('tenant')
type Scope = string | null | typeof TENANT

/** Sums of one scope and window, per event name: events, then per field missing and gain. */
type Tally = Map<string, { events: number; missing: number[]; gain: number[] }>

/**
 * Which fields, missing from which event type, would raise each scope's mean
 * EMQ most over each window, e.g. "valid email missing on 62% of Purchase
 * events: +9.1 mean EMQ". The gain is the sum of the events' own gains
 * divided by all of the scope's events in the window, so gains of different
 * fields are comparable but do not add up (two keys overlap in IQ).
 *
 * @example
 * const gains = await loadMissingFieldGains(trx, tenantId, { now: new Date(), windows: ['24h', '7d'], top: 5 })
 * gains.sources.get(null)?.['24h'].top // server events' largest gains
 */
export async function loadMissingFieldGains<W extends SignalWindow>(
  db: Kysely<Database>,
  tenantId: string,
  options: GainsOptions<W>,
): Promise<MissingFieldGains<W>> {
  // Compiling this query's ~50 expressions with LLVM costs more (~120 ms)
  // than it saves on 50 000 rows; SET LOCAL confines that to the transaction.
  await sql`SELECT set_config('jit', 'off', true)`.execute(db)
  const { rows } = await missingFieldGainsQuery(tenantId, options).execute(db)
  const windows = narrowestFirst(options.windows)
  const tallies = new Map<Scope, Map<W, Tally>>()
  for (const row of rows) {
    const scopes: Scope[] = [TENANT, (row.source_id as string | null) ?? null]
    for (const scope of scopes) {
      const perWindow = tallies.get(scope) ?? new Map<W, Tally>()
      tallies.set(scope, perWindow)
      // An event counts in its own window and every wider one.
      windows.forEach((w, i) => {
        if (Number(row.bucket) > i) return
        const tally = perWindow.get(w) ?? new Map()
        perWindow.set(w, tally)
        add(tally, row)
      })
    }
  }
  const report = (scope: Scope) =>
    Object.fromEntries(options.windows.map((w) => [w, rank(tallies.get(scope)?.get(w), options.top)])) as Record<W, ScopeGains>
  const sources = new Map<string | null, Record<W, ScopeGains>>()
  for (const scope of tallies.keys()) if (scope !== TENANT) sources.set(scope, report(scope))
  return { tenant: report(TENANT), sources }
}

function add(tally: Tally, row: Record<string, unknown>) {
  const name = row.event_name as string
  const sums = tally.get(name) ?? { events: 0, missing: MISSING_FIELDS.map(() => 0), gain: MISSING_FIELDS.map(() => 0) }
  tally.set(name, sums)
  sums.events += Number(row.events)
  MISSING_FIELDS.forEach((_, i) => {
    sums.missing[i]! += Number(row[`m_${i}`])
    sums.gain[i]! += Number(row[`g_${i}`])
  })
}

// Below this a gain rounds to +0.00 and is not worth a line.
const MIN_GAIN = 0.005

function rank(tally: Tally | undefined, top: number): ScopeGains {
  if (!tally) return { basedOnEvents: 0, top: [] }
  const total = [...tally.values()].reduce((n, s) => n + s.events, 0)
  const gains: (MissingFieldGain & { order: number })[] = []
  for (const [eventName, sums] of tally) {
    MISSING_FIELDS.forEach((field, order) => {
      const missing = sums.missing[order]!
      const gain = sums.gain[order]! / total
      if (missing === 0 || gain < MIN_GAIN) return
      const share = Math.round((100 * missing) / sums.events)
      gains.push({
        field: field.field,
        factors: field.factors,
        eventName,
        events: sums.events,
        missing,
        gain,
        message: `${field.problem} on ${share}% of ${eventName} events: +${gain.toFixed(1)} mean EMQ`,
        order,
      })
    })
  }
  gains.sort((a, b) => b.gain - a.gain || a.order - b.order || a.eventName.localeCompare(b.eventName))
  return { basedOnEvents: total, top: gains.slice(0, top).map(({ order: _, ...gain }) => gain) }
}
