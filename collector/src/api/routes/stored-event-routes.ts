import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { type Authenticator, authenticate } from '../../auth/authenticate'
import { withTenant } from '../../db/with-tenant'
import { loadStoredEvent } from '../../events/load-stored-event'
import { StratumError } from '../../errors'
import type { AppEnv } from '../../http/app-env'
import { errorResponses } from '../schemas/error-schema'
import { EventIdParams, StoredEventSchema } from '../schemas/stored-event-schema'
import { validationHook } from './validation-hook'

/**
 * `GET /events/{event_id}`: one stored event. Mount it after any fixed
 * `GET /events/…` path (the live stream), which its parameter would match.
 *
 * @example
 * app.route('/api/v1/cdp', storedEventRoutes(authenticator))
 */
export function storedEventRoutes(authenticator: Authenticator) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  app.openapi(
    createRoute({
      method: 'get',
      path: '/events/{event_id}',
      operationId: 'getEvent',
      tags: ['Events'],
      summary: 'Get one stored event',
      description:
        'The event as stored: identifiers and user data as hashes, its score, band and breakdown, warnings, and the surviving profile it was resolved into (`status: pending` until then).',
      security: [{ bearer: [] }],
      // On the route, not on `/events/*`: other `/events/…` routes authenticate their own way.
      middleware: [authenticate(authenticator, { scope: 'profiles:read' })] as const,
      request: { params: EventIdParams },
      responses: {
        200: { description: 'The event', content: { 'application/json': { schema: StoredEventSchema } } },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { event_id } = c.req.valid('param')
      const { tenantId } = c.get('auth')
      const event = await withTenant(c.get('services').db, tenantId, (trx) => loadStoredEvent(trx, tenantId, event_id.toLowerCase()))
      if (!event) throw new StratumError(404, 'event_not_found', 'No such event')
      return c.json(event, 200)
    },
  )
  return app
}
