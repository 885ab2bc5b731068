import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { Database } from '../db/schema'
import { emqBand } from './bands'
import { narrowestFirst, type PerScope, type SignalWindow, windowStart } from './signal-windows'
import type { EmqBand } from './types'

/**
 * How a window's stored EMQ scores are spread.
 *
 * @example
 * const d: EmqDistribution = {
 *   events: 4, meanEmq: 61.25, p10: 40.3, p50: 61.4, p90: 80.6,
 *   bands: { excellent: 1, good: 1, fair: 2, poor: 0 },
 * }
 */
export interface EmqDistribution {
  events: number
  /** Mean of the stored one-decimal scores, unrounded (the band is taken from it); null without events. */
  meanEmq: number | null
  /** `percentile_cont`: linear interpolation between the two nearest scores. */
  p10: number | null
  p50: number | null
  p90: number | null
  bands: Record<EmqBand, number>
}

/**
 * Distributions per window, for the tenant and for each `source_id` (null:
 * events sent with a JWT, i.e. from a server).
 *
 * @example
 * const { tenant } = await loadEmqDistributions(trx, tenantId, { now, windows: ['24h'], perSource: false })
 * tenant['24h'].meanEmq
 */
export type EmqDistributions<W extends SignalWindow> = PerScope<W, EmqDistribution>

/** What `loadEmqDistributions` reads. */
export interface DistributionOptions<W extends SignalWindow> {
  /** End of every window (inclusive); the app's clock, which also stamped `received_at`. */
  now: Date
  windows: readonly W[]
  /** Also split by source (the tenant total is always there). */
  perSource: boolean
}

/** Scores have one decimal in [0, 100]: 1001 possible values, counted in tenths. */
const TENTHS = 1001

/**
 * The distribution query: one index-only scan of `events_emq_window` over the
 * widest window, hash-aggregated into a histogram — how many events per
 * source, narrowest window (`bucket`) and score in tenths. Scores have only
 * 1001 possible values, so the histogram is small whatever the volume, and
 * count, mean, percentiles and bands follow from it exactly without sorting
 * millions of scores. Exported so that tests and docs can `EXPLAIN` it.
 *
 * @example
 * const plan = await sql`EXPLAIN ${emqDistributionQuery(tenantId, { now, windows: ['24h', '7d'], perSource: true })}`.execute(trx)
 */
export function emqDistributionQuery(
  tenantId: string,
  options: DistributionOptions<SignalWindow>,
): RawBuilder<{ source_id: string | null; bucket: number; tenths: number; events: number }> {
  const starts = narrowestFirst(options.windows).map((w) => windowStart(w, options.now))
  const bucket = sql`CASE ${sql.join(
    starts.map((start, i) => sql`WHEN received_at >= ${start}::timestamptz THEN ${sql.lit(i)}`),
    sql` `,
  )} END`
  return sql`
    SELECT ${options.perSource ? sql`source_id` : sql`NULL::uuid AS source_id`}, ${bucket} AS bucket,
      round(emq::float8 * 10)::int AS tenths, count(*)::int AS events
    FROM events
    WHERE tenant_id = ${tenantId}::uuid
      AND received_at >= ${starts.at(-1)!}::timestamptz
      AND received_at <= ${options.now}::timestamptz
      AND emq IS NOT NULL
    GROUP BY 1, 2, 3
  `
}

/**
 * Counts, mean, p10/p50/p90 and band counts of the stored EMQ of the events
 * the tenant's collector *received* in each window ending at `now`.
 *
 * @example
 * const d = await loadEmqDistributions(trx, tenantId, { now: new Date(), windows: ['24h', '7d'], perSource: true })
 * d.sources.get(null)?.['7d'].p50 // median EMQ of server events over 7 days
 */
export async function loadEmqDistributions<W extends SignalWindow>(
  db: Kysely<Database>,
  tenantId: string,
  options: DistributionOptions<W>,
): Promise<EmqDistributions<W>> {
  const { rows } = await emqDistributionQuery(tenantId, options).execute(db)
  const windows = narrowestFirst(options.windows)
  const histograms = new Map<Scope, Uint32Array[]>()
  const histogramsOf = (scope: Scope) => {
    const perWindow = histograms.get(scope) ?? windows.map(() => new Uint32Array(TENTHS))
    histograms.set(scope, perWindow)
    return perWindow
  }
  for (const row of rows) {
    const scopes: Scope[] = options.perSource ? [TENANT, row.source_id ?? null] : [TENANT]
    for (const scope of scopes) {
      const perWindow = histogramsOf(scope)
      // An event counts in its own window and every wider one.
      for (let w = Number(row.bucket); w < windows.length; w++) perWindow[w]![Number(row.tenths)]! += Number(row.events)
    }
  }
  const report = (scope: Scope) => {
    const perWindow = histogramsOf(scope)
    return Object.fromEntries(windows.map((w, i) => [w, describe(perWindow[i]!)])) as Record<W, EmqDistribution>
  }
  const sources = new Map<string | null, Record<W, EmqDistribution>>()
  for (const scope of histograms.keys()) if (scope !== TENANT) sources.set(scope, report(scope))
  return { tenant: report(TENANT), sources }
}

// The tenant's histograms sit beside the sources' under a key no source id can be.
const TENANT = Symbol('tenant')
type Scope = string | null | typeof TENANT

/** Count, exact mean, `percentile_cont` and bands of a histogram of scores in tenths. */
function describe(histogram: Uint32Array): EmqDistribution {
  let events = 0
  let tenthsSum = 0
  const bands: Record<EmqBand, number> = { excellent: 0, good: 0, fair: 0, poor: 0 }
  histogram.forEach((count, tenths) => {
    if (count === 0) return
    events += count
    tenthsSum += count * tenths
    bands[emqBand(tenths / 10)] += count
  })
  if (events === 0) return { events, meanEmq: null, p10: null, p50: null, p90: null, bands }
  // The score at a 0-based rank of the sorted scores.
  const scoreAt = (rank: number) => {
    let seen = 0
    for (let tenths = 0; tenths < TENTHS; tenths++) {
      seen += histogram[tenths]!
      if (seen > rank) return tenths / 10
    }
    throw new Error('rank beyond the histogram') // unreachable: rank < events
  }
  // percentile_cont: interpolate between ranks ⌊p(n−1)⌋ and ⌈p(n−1)⌉.
  const percentile = (p: number) => {
    const position = p * (events - 1)
    const lo = scoreAt(Math.floor(position))
    return lo + (scoreAt(Math.ceil(position)) - lo) * (position - Math.floor(position))
  }
  return {
    events,
    // Integer tenths: the mean is exact, and so is its band at 40/60/80.
    meanEmq: tenthsSum / (10 * events),
    p10: percentile(0.1),
    p50: percentile(0.5),
    p90: percentile(0.9),
    bands,
  }
}
