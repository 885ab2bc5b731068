import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { streamSSE } from 'hono/streaming'
import { type Authenticator, authenticate } from '../../auth/authenticate'
import type { AppEnv } from '../../http/app-env'
import { errorResponses } from '../schemas/error-schema'
import { EVENTS_STREAM_DESCRIPTION, EventsStreamBody, EventsStreamQuery } from '../schemas/events-stream-schema'
import { validationHook } from './validation-hook'

/** A comment line this often keeps proxies and load balancers from closing an idle stream. */
const PING_MS = 15_000

/**
 * `GET /events/stream`: the tenant's events live, as server-sent events —
 * accepted, duplicate and rejected items of every batch, whichever ingest
 * path took it, once committed (collector/docs/live-events.md). The
 * subscription ends when the client disconnects or the collector closes.
 * Mounted before any `/events/{event_id}` route, so that `stream` is never
 * read as an event id.
 *
 * @example
 * app.route('/api/v1/cdp', eventsStreamRoute(authenticator))
 */
export function eventsStreamRoute(authenticator: Authenticator) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  app.use('/events/stream', authenticate(authenticator, { scope: 'profiles:read' }))
  app.openapi(
    createRoute({
      method: 'get',
      path: '/events/stream',
      operationId: 'streamEvents',
      tags: ['Events'],
      summary: 'Watch the tenant’s events live (server-sent events)',
      description: `Browsers cannot set headers on \`EventSource\`: read it with \`fetch\` and \`Authorization: Bearer\`. At most 20 streams per tenant on one collector (429 beyond).`,
      security: [{ bearer: [] }],
      request: { query: EventsStreamQuery },
      responses: {
        200: { description: EVENTS_STREAM_DESCRIPTION, content: { 'text/event-stream': { schema: EventsStreamBody } } },
        ...errorResponses(400, 401, 403, 429, 503),
      },
    }),
    async (c) => {
      const { source_id, event_name, band } = c.req.valid('query')
      // Subscribed before the answer starts, so that a refusal (429) is an ordinary error answer.
      const subscription = await c.get('services').eventFeed.subscribe(c.get('auth').tenantId, {
        sourceId: source_id?.toLowerCase(),
        eventName: event_name,
        band,
      })
      // Proxies such as nginx would otherwise hold the messages back.
      c.header('X-Accel-Buffering', 'no')
      return streamSSE(c, async (stream) => {
        stream.onAbort(() => subscription.close())
        const ping = setInterval(() => void stream.write(': ping\n\n'), PING_MS)
        try {
          await stream.writeSSE({ event: 'ready', data: '{}' })
          for (let message = await subscription.next(); message; message = await subscription.next()) {
            await stream.writeSSE({ event: message.kind, data: JSON.stringify(message.data) })
          }
        } finally {
          clearInterval(ping)
          subscription.close()
        }
      })
    },
  )
  return app
}
