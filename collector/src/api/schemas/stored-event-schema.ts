import { z } from '@hono/zod-openapi'

export const EventIdParams = z.object({
  event_id: z.uuid().openapi({ param: { name: 'event_id', in: 'path' }, example: '7d1f4b8e-2c3a-4f5e-9a6b-1c2d3e4f5a6b' }),
})

/**
 * Body of `GET /events/{event_id}`: the event as stored, hashes only.
 *
 * @example
 * const event: z.infer<typeof StoredEventSchema> = await (await fetch(`/api/v1/cdp/events/${id}`, { headers })).json()
 */
export const StoredEventSchema = z
  .object({
    event_id: z.uuid(),
    event_name: z.string().openapi({ example: 'Purchase' }),
    event_time: z.string(),
    received_at: z.string(),
    sent_at: z.string().nullable(),
    source_id: z.uuid().nullable().openapi({ description: 'null: sent with a JWT (from a server)' }),
    trust: z.enum(['browser', 'server']).openapi({ description: '`browser`: sent with a public source key; `server`: with a JWT or a secret key' }),
    action_source: z.string().nullable(),
    profile_id: z.uuid().nullable().openapi({ description: 'The surviving profile the event belongs to; null while pending' }),
    status: z.enum(['resolved', 'pending']).openapi({ description: '`pending` until the resolver has placed the event in a profile' }),
    identifiers: z.array(
      z.object({
        type: z.string(),
        hash: z.string().openapi({ description: 'SHA-256 hex for email and phone; the trimmed value for the other types' }),
        status: z.enum(['valid', 'junk', 'invalid']),
      }),
    ),
    user_data: z.record(z.string(), z.string()).openapi({ description: 'Hashed user data' }),
    properties: z.record(z.string(), z.unknown()),
    context: z.record(z.string(), z.unknown()).openapi({ description: 'The context as stored; the client address is never part of it' }),
    consent: z.record(z.string(), z.boolean()).nullable(),
    emq: z.number().nullable(),
    band: z.enum(['excellent', 'good', 'fair', 'poor']).nullable(),
    emq_breakdown: z.record(z.string(), z.unknown()).nullable(),
    warnings: z.array(z.string()),
  })
  .openapi('StoredEvent')
