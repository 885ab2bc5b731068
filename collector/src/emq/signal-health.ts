import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { Database } from '../db/schema'
import { EMQ_BAND_THRESHOLDS } from './bands'
import { type SignalWindow, windowStart } from './signal-windows'
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
export interface EmqDistributions<W extends SignalWindow> {
  tenant: Record<W, EmqDistribution>
  sources: Map<string | null, Record<W, EmqDistribution>>
}

/** What `loadEmqDistributions` reads. */
export interface DistributionOptions<W extends SignalWindow> {
  /** End of every window (inclusive); the app's clock, which also stamped `received_at`. */
  now: Date
  windows: readonly W[]
  /** Also group by source (the tenant total is always there). */
  perSource: boolean
}

// The stored score as the exact one-decimal double it was rounded to: `emq`
// is a `real`, and 61.4::real::float8 is 61.400001…, which would leak into
// means and interpolated percentiles.
const SCORE = sql<number>`(round(emq::float8 * 10) / 10)`

const BANDS_HIGH_TO_LOW = (Object.entries(EMQ_BAND_THRESHOLDS) as [EmqBand, number][]).sort((a, b) => b[1] - a[1])

/**
 * `[min, next min)` per band, the comparisons `emqBand` makes: the lowest band
 * has no lower bound, so nothing can fall outside every band.
 */
function bandCondition(index: number): RawBuilder<boolean> {
  const [, min] = BANDS_HIGH_TO_LOW[index]!
  const upper = index > 0 ? sql`emq < ${sql.lit(BANDS_HIGH_TO_LOW[index - 1]![1])}` : sql`true`
  const lower = index < BANDS_HIGH_TO_LOW.length - 1 ? sql`emq >= ${sql.lit(min)}` : sql`true`
  return sql`${lower} AND ${upper}`
}

/** Aggregates of one window, as columns suffixed `_<i>`. */
function windowColumns(since: Date, i: number): RawBuilder<unknown> {
  const inWindow = sql`received_at >= ${since}::timestamptz`
  const col = (name: string) => sql.id(`${name}_${i}`)
  return sql.join([
    sql`(count(*) FILTER (WHERE ${inWindow}))::int AS ${col('events')}`,
    // Sum of scores in tenths: an exact integer, so the mean is exact too.
    sql`(sum(round(emq::float8 * 10)) FILTER (WHERE ${inWindow}))::float8 AS ${col('tenths')}`,
    sql`(percentile_cont(ARRAY[0.1, 0.5, 0.9]::float8[]) WITHIN GROUP (ORDER BY ${SCORE}) FILTER (WHERE ${inWindow})) AS ${col('pct')}`,
    ...BANDS_HIGH_TO_LOW.map(
      ([band], b) => sql`(count(*) FILTER (WHERE ${inWindow} AND ${bandCondition(b)}))::int AS ${col(band)}`,
    ),
  ])
}

/**
 * The distribution query: one index-only scan of `events_emq_window` over the
 * widest window, each narrower window a `FILTER`. Exported so that tests and
 * docs can `EXPLAIN` exactly what the API runs.
 *
 * @example
 * const plan = await sql`EXPLAIN ${emqDistributionQuery(tenantId, { now, windows: ['24h', '7d'], perSource: true })}`.execute(trx)
 */
export function emqDistributionQuery(
  tenantId: string,
  options: DistributionOptions<SignalWindow>,
): RawBuilder<Record<string, unknown>> {
  const starts = options.windows.map((w) => windowStart(w, options.now))
  const earliest = new Date(Math.min(...starts.map((d) => d.getTime())))
  const grouping = options.perSource
    ? { select: sql`source_id, grouping(source_id) = 1 AS is_total`, groupBy: sql`GROUP BY GROUPING SETS ((source_id), ())` }
    : { select: sql`NULL::uuid AS source_id, true AS is_total`, groupBy: sql`` }
  return sql`
    SELECT ${grouping.select}, ${sql.join(starts.map(windowColumns))}
    FROM events
    WHERE tenant_id = ${tenantId}::uuid
      AND received_at >= ${earliest}::timestamptz
      AND received_at <= ${options.now}::timestamptz
      AND emq IS NOT NULL
    ${grouping.groupBy}
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
  const empty = toWindows(options.windows, undefined)
  const result: EmqDistributions<W> = { tenant: empty, sources: new Map() }
  for (const row of rows) {
    const windows = toWindows(options.windows, row)
    if (row.is_total) result.tenant = windows
    else result.sources.set((row.source_id as string | null) ?? null, windows)
  }
  return result
}

function toWindows<W extends SignalWindow>(windows: readonly W[], row: Record<string, unknown> | undefined) {
  return Object.fromEntries(windows.map((w, i) => [w, toDistribution(row, i)])) as Record<W, EmqDistribution>
}

function toDistribution(row: Record<string, unknown> | undefined, i: number): EmqDistribution {
  const events = Number(row?.[`events_${i}`] ?? 0)
  const pct = (row?.[`pct_${i}`] as number[] | null | undefined) ?? null
  const bands = Object.fromEntries(
    BANDS_HIGH_TO_LOW.map(([band]) => [band, Number(row?.[`${band}_${i}`] ?? 0)]),
  ) as Record<EmqBand, number>
  return {
    events,
    meanEmq: events > 0 ? Number(row?.[`tenths_${i}`]) / (10 * events) : null,
    p10: pct ? Number(pct[0]) : null,
    p50: pct ? Number(pct[1]) : null,
    p90: pct ? Number(pct[2]) : null,
    bands,
  }
}
