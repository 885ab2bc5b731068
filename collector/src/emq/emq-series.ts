import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/schema'
import { StratumError } from '../errors'
import { EMQ_BAND_THRESHOLDS } from './bands'
import type { EmqBand } from './types'

/** The widths a series can be bucketed in, in milliseconds. */
export const SERIES_BUCKETS = { hour: 3_600_000, day: 86_400_000 } as const

/**
 * A bucket width of `GET /emq/series`.
 *
 * @example
 * const bucket: SeriesBucket = 'day'
 */
export type SeriesBucket = keyof typeof SERIES_BUCKETS

/** At most this many buckets per series: 31 days of hours. */
export const MAX_SERIES_BUCKETS = 744

/** The range a series covers when the caller leaves `from` out: a day of hours, or 30 days. */
const DEFAULT_SPAN_MS: Record<SeriesBucket, number> = { hour: 24 * 3_600_000, day: 30 * 86_400_000 }

/**
 * One bucket of a series: the events received in it that carry a score,
 * their mean and how many fall in each band.
 *
 * @example
 * const p: EmqSeriesPoint = { start: '2026-01-14T12:00:00.000Z', events: 2, mean_emq: 70.25, bands: { excellent: 1, good: 0, fair: 1, poor: 0 } }
 */
export interface EmqSeriesPoint {
  start: string
  events: number
  mean_emq: number | null
  bands: Record<EmqBand, number>
}

/** What `loadEmqSeries` reads. */
export interface EmqSeriesOptions {
  /** Start (inclusive) and end (exclusive) on `received_at`. */
  from: Date
  to: Date
  bucket: SeriesBucket
  /** Only this source's events; `null`: those sent with a JWT; `undefined`: the whole tenant. */
  sourceId?: string | null
}

/**
 * The range of a series: `to` defaults to `now`, `from` to a day (hourly
 * buckets) or 30 days (daily) before `to`. A 400 when `from` is not before
 * `to` or the range spans more than `MAX_SERIES_BUCKETS` buckets.
 *
 * @example
 * seriesRange({ bucket: 'hour' }, now) // { from: now − 24 h, to: now }
 */
export function seriesRange(query: { from?: string; to?: string; bucket: SeriesBucket }, now: Date): { from: Date; to: Date } {
  const to = query.to === undefined ? now : new Date(query.to)
  const from = query.from === undefined ? new Date(to.getTime() - DEFAULT_SPAN_MS[query.bucket]) : new Date(query.from)
  if (from >= to) throw new StratumError(400, 'invalid_range', '`from` must be before `to`')
  if (bucketCount(from, to, query.bucket) > MAX_SERIES_BUCKETS) {
    throw new StratumError(400, 'invalid_range', `A series holds at most ${MAX_SERIES_BUCKETS} buckets: narrow the range or use a wider bucket`)
  }
  return { from, to }
}

/**
 * How many buckets overlap `[from, to)`. Buckets are whole UTC hours or
 * days, so the first and last may be cut by the range.
 *
 * @example
 * bucketCount(new Date('2026-01-14T10:30:00Z'), new Date('2026-01-14T12:00:00Z'), 'hour') // 2 (10:00, 11:00)
 */
export function bucketCount(from: Date, to: Date, bucket: SeriesBucket): number {
  const width = SERIES_BUCKETS[bucket]
  return Math.ceil((to.getTime() - floorTo(from, width)) / width)
}

/** Every bucket that overlaps `[from, to)`, oldest first. */
function bucketStarts(from: Date, to: Date, bucket: SeriesBucket): Date[] {
  const width = SERIES_BUCKETS[bucket]
  const first = floorTo(from, width)
  return Array.from({ length: bucketCount(from, to, bucket) }, (_, i) => new Date(first + i * width))
}

/** The start of the UTC hour or day that holds `time` (both divide the epoch evenly). */
const floorTo = (time: Date, width: number) => Math.floor(time.getTime() / width) * width

/** Scores are stored with one decimal: bands are compared in tenths, as in `signal-health.ts`. */
const tenthsAtLeast = (band: EmqBand) => sql.lit(EMQ_BAND_THRESHOLDS[band] * 10)

/**
 * Events with a score per bucket, their mean and band counts, zero-filled,
 * oldest first. Placed on `received_at` like `GET /emq`
 * (collector/docs/emq.md): one range scan of the `events_emq_window`
 * index, which holds `source_id` and `emq`, so the wide rows are not read.
 *
 * @example
 * const points = await withTenant(db, tenantId, (trx) => loadEmqSeries(trx, tenantId, { from, to, bucket: 'hour' }))
 */
export async function loadEmqSeries(db: Kysely<Database>, tenantId: string, options: EmqSeriesOptions): Promise<EmqSeriesPoint[]> {
  const width = `${SERIES_BUCKETS[options.bucket] / 1000} seconds`
  const tenths = sql`round(emq::float8 * 10)`
  const source =
    options.sourceId === undefined ? sql`` : options.sourceId === null ? sql`AND source_id IS NULL` : sql`AND source_id = ${options.sourceId}::uuid`
  const { rows } = await sql<{ start: Date | string; events: number; tenths_sum: number } & Record<EmqBand, number>>`
    SELECT date_bin(${width}::interval, received_at, TIMESTAMPTZ '1970-01-01T00:00:00Z') AS start,
      count(*)::int AS events, sum(${tenths})::float8 AS tenths_sum,
      count(*) FILTER (WHERE ${tenths} >= ${tenthsAtLeast('excellent')})::int AS excellent,
      count(*) FILTER (WHERE ${tenths} >= ${tenthsAtLeast('good')} AND ${tenths} < ${tenthsAtLeast('excellent')})::int AS good,
      count(*) FILTER (WHERE ${tenths} >= ${tenthsAtLeast('fair')} AND ${tenths} < ${tenthsAtLeast('good')})::int AS fair,
      count(*) FILTER (WHERE ${tenths} < ${tenthsAtLeast('fair')})::int AS poor
    FROM events
    WHERE tenant_id = ${tenantId}::uuid
      AND received_at >= ${options.from}::timestamptz AND received_at < ${options.to}::timestamptz
      AND emq IS NOT NULL ${source}
    GROUP BY 1
  `.execute(db)
  const byStart = new Map(rows.map((r) => [new Date(r.start).getTime(), r]))
  return bucketStarts(options.from, options.to, options.bucket).map((start) => {
    const row = byStart.get(start.getTime())
    if (!row) return { start: start.toISOString(), events: 0, mean_emq: null, bands: { excellent: 0, good: 0, fair: 0, poor: 0 } }
    const events = Number(row.events)
    return {
      start: start.toISOString(),
      events,
      // Integer tenths: the mean is exact before it is rounded to 2 decimals.
      mean_emq: Math.round((10 * Number(row.tenths_sum)) / events) / 100,
      bands: { excellent: Number(row.excellent), good: Number(row.good), fair: Number(row.fair), poor: Number(row.poor) },
    }
  })
}
