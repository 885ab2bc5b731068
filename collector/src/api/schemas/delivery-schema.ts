import { z } from '@hono/zod-openapi'
import { HOLD_REASONS } from '../../destinations/gate'

export const DELIVERY_STATUSES = ['pending', 'sending', 'held', 'delivered', 'dead', 'discarded', 'expired', 'suppressed'] as const

export const DeliverySchema = z
  .object({
    event_id: z.string(),
    event_name: z.string(),
    event_time: z.string(),
    source_id: z.string().nullable().openapi({ description: 'null: sent with a JWT (the server signal)' }),
    emq: z.number().nullable(),
    status: z.enum(DELIVERY_STATUSES),
    level: z.string().nullable().openapi({ description: 'The automation level the gate decided under, `override`, or `released` by an operator' }),
    reason: z.string().nullable().openapi({ description: 'Why it is held, suppressed or dead (the platform message for a dead letter)' }),
    attempts: z.number().int(),
    next_attempt_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    delivered_at: z.string().nullable(),
  })
  .openapi('Delivery')

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.uuid().optional().openapi({ description: '`next_cursor` of the previous page' }),
})

export const DeliveriesQuery = PageQuery.extend({ status: z.enum(DELIVERY_STATUSES).optional() })

export const SelectionSchema = z
  .union([
    z.object({ event_ids: z.array(z.uuid()).min(1).max(1000) }).strict(),
    z
      .object({
        filter: z
          .object({
            event_names: z.array(z.string().regex(/^[A-Z][A-Za-z0-9]*$/).max(128)).min(1).max(100).optional(),
            source_ids: z.array(z.union([z.uuid(), z.literal('server')])).min(1).max(100).optional(),
            reasons: z.array(z.enum(HOLD_REASONS)).min(1).max(20).optional(),
          })
          .strict(),
      })
      .strict(),
  ])
  .openapi('DeliverySelection', { description: 'Listed event ids, or a filter (`{}`: all of them)' })

export const MovedSchema = z.object({ moved: z.number().int() }).openapi('DeliveriesMoved')
