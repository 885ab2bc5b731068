import { OpenAPIHono, z } from '@hono/zod-openapi'
import { type Authenticator, authenticate } from '../../auth/authenticate'
import type { AppEnv } from '../../http/app-env'
import { clientIp, type ProxyMatcher } from '../../http/client-ip'
import { browserCors } from '../../http/cors'
import { limitBody as limitBodyTo } from '../../http/limit-body'
import { limitClientIp, limitCredential } from '../../http/rate-limit'
import { reportTiming, serverTiming } from '../../http/server-timing'
import { ingestBatch } from '../../ingest/ingest-batch'
import { ingestSettings } from '../../ingest/ingest-settings'
import { readJsonBody } from '../../ingest/read-json-body'
import { errorResponses } from '../schemas/error-schema'
import { LIMITS } from '../../ingest/event-contract'
import { EnvelopeDocSchema, IngestResponseSchema } from '../schemas/event-schema'

/**
 * Whether the caller asked to wait for resolution: `Prefer: wait=resolved`
 * (RFC 7240 preferences, comma- or semicolon-separated, case-insensitive).
 *
 * @example
 * wantsResolution('respond-async, wait=resolved') // true
 */
export function wantsResolution(prefer: string | undefined): boolean {
  return (prefer ?? '').split(/[,;]/).some((p) => p.trim().toLowerCase() === 'wait=resolved')
}

/** Answers a body over the batch limit (512 KB) with a 413 before any of it is parsed. */
export const limitBody = () => limitBodyTo(LIMITS.bodyBytes)

/**
 * `POST /events`: ingest a batch. Not an `openapi()` route because its body
 * is validated event by event (one bad event must not reject the batch) and
 * may arrive as `text/plain` from `sendBeacon`; it is registered in the
 * OpenAPI document by hand with the same schemas.
 *
 * @example
 * app.route('/api/v1/cdp', eventsRoute(authenticator, trustedProxies))
 */
export function eventsRoute(authenticator: Authenticator, trustedProxies: ProxyMatcher) {
  const app = new OpenAPIHono<AppEnv>()
  app.use('/events', browserCors(), serverTiming())
  app.post('/events', limitClientIp(), authenticate(authenticator, { scope: 'events:write', allowSourceKey: true }), limitCredential(), limitBody(), async (c) => {
    const { db, config, remoteAddress } = c.get('services')
    const body = await readJsonBody(c.req.raw)
    const wait = wantsResolution(c.req.header('prefer'))
    const { result, resolved, timing } = await ingestBatch(
      db,
      c.get('auth'),
      body,
      {
        receivedAt: new Date(),
        clientIp: clientIp(remoteAddress(c), c.req.header('x-forwarded-for'), trustedProxies),
        userAgent: c.req.header('user-agent'),
      },
      ingestSettings(config, c.get('services'), wait),
    )
    if (wait && resolved) c.header('Preference-Applied', 'wait=resolved')
    reportTiming(c, timing)
    return c.json(result, 200)
  })
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/events',
    operationId: 'ingestEvents',
    tags: ['Events'],
    summary: 'Ingest a batch of events',
    description:
      'Up to 500 events, 512 KB and 2,000 distinct identifiers per request; 32 KB and 50 identifiers per event (collector/docs/limits.md). Each event is validated on its own: bad ones are listed in `rejected`, good ones stored. A replayed `event_id` is acknowledged as a duplicate and stored once; a backend\'s copy (JWT or secret key) of an id a browser sent first replaces the browser\'s (warning `browser_copy_replaced`). 200 only after a durable commit. Profiles are resolved after the answer (`profile_id: null`); send `Prefer: wait=resolved` to wait, up to `STRATUM_RESOLVE_WAIT_MS`, for each event\'s profile and final status (`Preference-Applied: wait=resolved` says it was resolved in time; collector/docs/pipeline.md).',
    security: [{ bearer: [] }, { sourceKey: [] }],
    request: {
      headers: z.object({
        prefer: z.string().optional().openapi({ description: '`wait=resolved`: answer once the events are resolved into profiles', example: 'wait=resolved' }),
      }),
      body: {
        required: true,
        content: { 'application/json': { schema: EnvelopeDocSchema }, 'text/plain': { schema: EnvelopeDocSchema } },
      },
    },
    responses: {
      200: {
        description: 'Batch result',
        headers: z.object({
          'Server-Timing': z.string().optional().openapi({
            description: 'With `STRATUM_SERVER_TIMING=on`: where the batch\'s time went, in ms (collector/docs/pipeline.md)',
            example: 'prepare;dur=3.0, connect;dur=4.5, append;dur=12.2, commit;dur=1.7, wait;dur=0.0, total;dur=26.4;desc="route"',
          }),
        }),
        content: { 'application/json': { schema: IngestResponseSchema } },
      },
      ...errorResponses(400, 401, 403, 413, 415, 429, 503),
    },
  })
  return app
}
