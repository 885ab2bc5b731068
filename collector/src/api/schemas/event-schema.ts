import { z } from '@hono/zod-openapi'
import { ApiTime, EventSchema, LIMITS } from '../../ingest/event-contract'

export const EnvelopeDocSchema = z
  .object({ sent_at: ApiTime.optional(), events: z.array(EventSchema).min(1).max(LIMITS.eventsPerBatch) })
  .openapi('EventBatch')

export const IngestResponseSchema = z
  .object({
    accepted: z.number().int(),
    duplicates: z.number().int(),
    suppressed: z.number().int().openapi({ description: 'Dropped for a stored analytics denial or an erased identifier' }),
    rejected: z.array(z.object({ index: z.number().int(), code: z.string(), message: z.string() })),
    events: z.array(
      z.object({
        index: z.number().int(),
        event_id: z.string(),
        status: z.enum(['accepted', 'duplicate', 'suppressed']),
        profile_id: z.string().nullable(),
        emq: z.number().nullable(),
        warnings: z.array(z.string()).optional(),
      }),
    ),
  })
  .openapi('IngestResult')
