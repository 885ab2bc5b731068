import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { type Authenticator, authenticate } from '../../auth/authenticate'
import { withTenant } from '../../db/with-tenant'
import { buildEmqReport } from '../../emq/emq-report'
import { StratumError } from '../../errors'
import type { AppEnv } from '../../http/app-env'
import { EmqQuery, EmqReportSchema } from '../schemas/emq-schema'
import { errorResponses } from '../schemas/error-schema'
import { validationHook } from './validation-hook'

/**
 * `GET /emq`: signal health per source and for the tenant over the last 24 h
 * and 7 d — event count, mean EMQ, p10/p50/p90, band distribution, automation
 * level and the missing fields that would raise the mean most.
 *
 * @example
 * app.route('/api/v1/cdp', emqRoutes(authenticator))
 */
export function emqRoutes(authenticator: Authenticator) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  app.use('/emq', authenticate(authenticator, { scope: 'profiles:read' }))
  app.openapi(
    createRoute({
      method: 'get',
      path: '/emq',
      operationId: 'getEmqReport',
      tags: ['EMQ'],
      summary: 'Signal health (EMQ) per source over 24 h and 7 d',
      description:
        'Windows are placed on `received_at`. Counts, means, percentiles and bands cover every event of the window; missing-field gains are measured on its newest 50 000 events at most (`based_on_events`).',
      security: [{ bearer: [] }],
      request: { query: EmqQuery },
      responses: {
        200: { description: 'Signal health', content: { 'application/json': { schema: EmqReportSchema } } },
        ...errorResponses(400, 401, 403, 404, 503),
      },
    }),
    async (c) => {
      const { source_id, top } = c.req.valid('query')
      const { tenantId } = c.get('auth')
      const report = await withTenant(c.get('services').db, tenantId, (trx) =>
        buildEmqReport(trx, tenantId, { now: new Date(), top, sourceId: source_id?.toLowerCase() }),
      )
      if (!report) throw new StratumError(404, 'source_not_found', 'No such source')
      return c.json(report, 200)
    },
  )
  return app
}
