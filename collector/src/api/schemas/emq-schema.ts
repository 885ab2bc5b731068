import { z } from '@hono/zod-openapi'
import { ApiTime } from '../../ingest/event-contract'

const Band = z.enum(['excellent', 'good', 'fair', 'poor'])
const Automation = z.enum(['full', 'partial', 'limited', 'manual'])
const Score = z.number().nullable()
const BandCounts = z.object({ excellent: z.number().int(), good: z.number().int(), fair: z.number().int(), poor: z.number().int() })

/**
 * Query of `GET /emq`.
 *
 * @example
 * EmqQuery.parse({ source_id: 'server', top: '3' }) // { source_id: 'server', top: 3 }
 */
const SourceIdOrServer = z.union([z.uuid(), z.literal('server')])

export const EmqQuery = z.object({
  source_id: SourceIdOrServer.optional().openapi({
    description: 'Only this source in `sources` (`server`: events sent with a JWT); the tenant stays whole',
  }),
  top: z.coerce
    .number()
    .int()
    .min(0)
    .max(50)
    .default(5)
    .openapi({ description: 'Missing-field gains listed per scope and window' }),
})

const MissingFieldSchema = z.object({
  field: z.string().openapi({ example: 'email' }),
  factors: z.array(z.enum(['iq', 'dc', 't', 'cr'])),
  event_name: z.string().openapi({ example: 'Purchase' }),
  events: z.number().int().openapi({ description: 'Events of this name the gain was measured on' }),
  missing: z.number().int().openapi({ description: 'Of those, the ones without the field' }),
  missing_share: z.number().openapi({ example: 0.62 }),
  gain: z.number().openapi({ description: "Rise of the scope's mean EMQ if they all had it", example: 9.12 }),
  message: z.string().openapi({ example: 'valid email missing on 62% of Purchase events: +9.1 mean EMQ' }),
})

const WindowSchema = z
  .object({
    from: z.string().openapi({ description: 'Window start (inclusive), on `received_at`' }),
    to: z.string(),
    events: z.number().int(),
    mean_emq: Score.openapi({ description: 'Mean of the stored scores, 2 decimals; null without events' }),
    p10: Score,
    p50: Score,
    p90: Score,
    bands: BandCounts,
    band: Band.nullable().openapi({ description: 'Band of the unrounded mean; null without events' }),
    automation: Automation.openapi({ description: 'What the band unlocks; `manual` without events' }),
    missing_fields: z.object({
      based_on_events: z.number().int().openapi({ description: 'Events gains were measured on (the newest 50 000 at most)' }),
      top: z.array(MissingFieldSchema),
    }),
  })
  .openapi('EmqWindow')

const Windows = z.object({ '24h': WindowSchema, '7d': WindowSchema })

/**
 * Body of `GET /emq`.
 *
 * @example
 * const body: z.infer<typeof EmqReportSchema> = await (await fetch('/api/v1/cdp/emq', { headers })).json()
 */
export const EmqReportSchema = z
  .object({
    tenant_id: z.uuid(),
    generated_at: z.string(),
    basis: z.literal('received_at').openapi({ description: 'Events are placed in windows by when the collector received them' }),
    tenant: z.object({ windows: Windows }),
    sources: z.array(
      z.object({
        source_id: z.uuid().nullable().openapi({ description: 'null: events sent with a JWT (from a server)' }),
        name: z.string().nullable().openapi({ example: 'Web shop' }),
        source_type: z.string().nullable(),
        windows: Windows,
      }),
    ),
  })
  .openapi('EmqReport')

/**
 * `signal_health` of `GET /health`: the tenant's last 24 hours.
 *
 * @example
 * SignalHealthSchema.parse({ window: '24h', events: 0, mean_emq: null, band: null, automation: 'manual' })
 */
export const SignalHealthSchema = z
  .object({
    window: z.literal('24h'),
    events: z.number().int(),
    mean_emq: Score,
    band: Band.nullable(),
    automation: Automation,
  })
  .openapi('SignalHealth')

/**
 * Query of `GET /emq/series`.
 *
 * @example
 * EmqSeriesQuery.parse({ source_id: 'server', bucket: 'day' }) // { source_id: 'server', bucket: 'day' }
 */
export const EmqSeriesQuery = z.object({
  source_id: SourceIdOrServer.optional().openapi({ description: 'Only this source (`server`: events sent with a JWT); the whole tenant without it' }),
  from: ApiTime.optional().openapi({ description: 'Start (inclusive) on `received_at`; default `to` − 24 h (hour) or − 30 d (day)', example: '2026-01-13T12:00:00Z' }),
  to: ApiTime.optional().openapi({ description: 'End (exclusive) on `received_at`; default now', example: '2026-01-14T12:00:00Z' }),
  bucket: z.enum(['hour', 'day']).default('hour').openapi({ description: 'Whole UTC hours or days; at most 744 buckets' }),
})

/**
 * Body of `GET /emq/series`.
 *
 * @example
 * const body: z.infer<typeof EmqSeriesSchema> = await (await fetch('/api/v1/cdp/emq/series?bucket=day', { headers })).json()
 */
export const EmqSeriesSchema = z
  .object({
    bucket: z.enum(['hour', 'day']),
    from: z.string(),
    to: z.string(),
    source_id: z.string().nullable().openapi({ description: 'The source asked for (`server`: events sent with a JWT); null: the whole tenant' }),
    points: z.array(
      z.object({
        start: z.string().openapi({ description: 'Start of the bucket (a whole UTC hour or day)' }),
        events: z.number().int().openapi({ description: 'Events received in the bucket that carry a score' }),
        mean_emq: Score.openapi({ description: 'Mean of their scores, 2 decimals; null without events' }),
        bands: BandCounts,
      }),
    ),
  })
  .openapi('EmqSeries')
