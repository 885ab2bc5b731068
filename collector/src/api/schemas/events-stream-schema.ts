import { z } from '@hono/zod-openapi'
import { LIMITS } from '../../ingest/event-contract'

/**
 * Query of `GET /events/stream`: every field narrows the stream; none
 * given, it shows every event of the tenant.
 *
 * @example
 * EventsStreamQuery.parse({ band: 'poor' }) // { band: 'poor' }
 */
export const EventsStreamQuery = z.object({
  source_id: z
    .union([z.uuid(), z.literal('server')])
    .optional()
    .openapi({ description: 'Only events of this source (`server`: sent with a JWT or without a source)' }),
  event_name: z
    .string()
    .min(1)
    .max(LIMITS.eventNameLength)
    .regex(/^[A-Za-z0-9_ .:-]+$/, 'must be an event name')
    .optional()
    .openapi({ description: 'Only events of this name, exactly', example: 'Purchase' }),
  band: z
    .enum(['excellent', 'good', 'fair', 'poor'])
    .optional()
    .openapi({ description: 'Only accepted events of this EMQ band (duplicates and rejections have none)' }),
})

/** What the 200 answer of `GET /events/stream` says, for the OpenAPI document. */
export const EVENTS_STREAM_DESCRIPTION = `A server-sent event stream (collector/docs/live-events.md). Messages:

- \`event: ready\`, \`data: {}\` — once, when the subscription is live: every batch committed after it is shown.
- \`event: accepted\`, \`data: {event_id, event_name, source_id|null, trust, status: "accepted"|"duplicate", event_time, received_at, emq|null, band|null, identifier_types: string[], warnings: string[]}\`
- \`event: rejected\`, \`data: {event_id|null, event_name|null, source_id|null, received_at, code, message}\`
- \`event: lagged\`, \`data: {dropped}\` — the client read too slowly and missed \`dropped\` messages here.
- a \`: ping\` comment every 15 s.

Identifier types only, never values or hashes. The stream ends when the collector shuts down; reconnect then.`

/**
 * The body of the stream, for the OpenAPI document: text in the SSE format.
 *
 * @example
 * EventsStreamBody.parse('event: ready\ndata: {}\n\n')
 */
export const EventsStreamBody = z.string().openapi({
  example:
    'event: ready\ndata: {}\n\nevent: accepted\ndata: {"event_id":"0f8fad5b-d9cb-469f-a165-70867728950e","event_name":"Purchase","source_id":null,"trust":"server","status":"accepted","event_time":"2026-01-13T15:30:00.000Z","received_at":"2026-01-13T15:30:00.120Z","emq":82.5,"band":"excellent","identifier_types":["email","external_id"],"warnings":[]}\n\n: ping\n\n',
})
