import { z } from '@hono/zod-openapi'
import { StorableString } from '../../ingest/storable-string'

export const ProfileIdParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '0b0a8f3e-2f7a-4a8e-9d6c-3b1d2c4e5f60' }),
})

export const IdentifierQuery = z.object({
  identifier_type: z.enum(['email', 'phone', 'device_id', 'anonymous_id', 'external_id']),
  identifier_value: StorableString.min(1).max(512).openapi({ description: 'Raw email/phone (normalised and hashed) or a 64-hex hash' }),
})

export const JourneyQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
})

export const ProfileSchema = z
  .object({
    id: z.uuid(),
    requested_id: z.uuid().optional().openapi({ description: 'Present when the requested profile was merged into this one' }),
    merged: z.boolean(),
    lifecycle_stage: z.enum(['anonymous', 'known', 'customer']),
    events_count: z.number().int(),
    sessions_count: z.number().int(),
    purchases_count: z.number().int().openapi({
      description: 'Purchases confirmed with server trust (a JWT or a secret key); these drive `lifecycle_stage: customer`',
    }),
    revenue: z.record(z.string(), z.number()).openapi({
      description: 'Server-confirmed Purchase value per ISO-4217 currency',
      example: { EUR: 129.5 },
    }),
    claimed_purchases_count: z.number().int().openapi({
      description: 'Purchases only a browser (public source key) reported: anyone holding the key could have sent them',
    }),
    claimed_revenue: z.record(z.string(), z.number()).openapi({
      description: 'Browser-reported Purchase value per currency, kept apart from `revenue`',
    }),
    first_seen_at: z.string().nullable(),
    last_seen_at: z.string().nullable(),
    marketing_denied: z.boolean(),
    created_at: z.string(),
    identifiers: z.array(
      z.object({
        type: z.string(),
        hash: z.string(),
        first_seen_at: z.string(),
        last_seen_at: z.string(),
        shared: z.boolean(),
        role: z.boolean(),
      }),
    ),
    merged_from: z.array(z.uuid()),
    traits: z.record(z.string(), z.unknown()).openapi({
      description: "The latest value of each trait the person's Segment `identify` calls set, personal data excepted (collector/docs/segment.md)",
      example: { plan: 'pro' },
    }),
  })
  .openapi('Profile')

export const JourneySchema = z
  .object({
    data: z.array(
      z.looseObject({
        event_id: z.string(),
        event_name: z.string(),
        event_time: z.string(),
        trust: z.enum(['browser', 'server']).openapi({
          description: '`browser`: sent with a public source key; `server`: with a JWT or a secret key',
        }),
        emq: z.number().nullable(),
      }),
    ),
    next_cursor: z.string().nullable(),
  })
  .openapi('Journey')

export const MergeHistorySchema = z
  .object({
    merges: z.array(
      z.object({
        winner_id: z.uuid(),
        loser_id: z.uuid(),
        rule: z.string().openapi({ description: 'What joined them: `strong_identifier` or `weak_identifier`', example: 'strong_identifier' }),
        event_id: z.uuid().nullable().openapi({ description: 'The event that brought the two together' }),
        identifier_type: z.string().nullable().openapi({ example: 'email' }),
        merged_at: z.string(),
      }),
    ),
    stopped: z.array(
      z.object({
        event_id: z.uuid(),
        event_name: z.string(),
        event_time: z.string(),
        rule: z.string().openapi({ description: 'The guard that stopped the merge (collector/docs/identity-resolution.md)', example: 'G1' }),
      }),
    ),
  })
  .openapi('MergeHistory')
