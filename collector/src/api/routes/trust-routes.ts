import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { type Authenticator, authenticate } from '../../auth/authenticate'
import { withTenant } from '../../db/with-tenant'
import { buildTrustReport } from '../../destinations/trust-report'
import type { AppEnv } from '../../http/app-env'
import { errorResponses } from '../schemas/error-schema'
import { TrustReportSchema } from '../schemas/trust-schema'
import { validationHook } from './validation-hook'

/**
 * `GET /trust`: the Trust Engine per source and destination — level, band,
 * mean EMQ, delivered, held and dead counts, and the reasons behind the level
 * (`collector/docs/trust-engine.md`).
 *
 * @example
 * app.route('/api/v1/cdp', trustRoutes(authenticator))
 */
export function trustRoutes(authenticator: Authenticator) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  app.use('/trust', authenticate(authenticator, { scope: 'profiles:read' }))
  app.openapi(
    createRoute({
      method: 'get',
      path: '/trust',
      operationId: 'getTrustReport',
      tags: ['Destinations'],
      summary: 'Automation level, signal health and deliveries per source and destination',
      description:
        'Signal health over the last 24 hours (windows on `received_at`, as `/emq`); delivery counts since each destination was created; reasons name the missing fields that would raise the mean EMQ most.',
      security: [{ bearer: [] }],
      responses: {
        200: { description: 'The Trust Engine report', content: { 'application/json': { schema: TrustReportSchema } } },
        ...errorResponses(401, 403, 503),
      },
    }),
    async (c) => {
      const { tenantId } = c.get('auth')
      const report = await withTenant(c.get('services').db, tenantId, (trx) => buildTrustReport(trx, tenantId, new Date()))
      return c.json(report, 200)
    },
  )
  return app
}
