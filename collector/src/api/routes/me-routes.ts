import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { type Authenticator, authenticate } from '../../auth/authenticate'
import { withTenant } from '../../db/with-tenant'
import type { AppEnv } from '../../http/app-env'
import { loadTenantName } from '../../tenants/load-tenant-name'
import { errorResponses } from '../schemas/error-schema'
import { MeSchema } from '../schemas/me-schema'

/**
 * `GET /me`: who the credential is — its tenant, scopes, kind, subject and
 * expiry. Any valid credential may ask, a source key too (a public key only
 * from an allowed origin), so a console can show what it signed in with.
 *
 * @example
 * app.route('/api/v1/cdp', meRoutes(authenticator))
 */
export function meRoutes(authenticator: Authenticator) {
  const app = new OpenAPIHono<AppEnv>()
  app.use('/me', authenticate(authenticator, { scope: 'events:write', anyScope: true, allowSourceKey: true }))
  app.openapi(
    createRoute({
      method: 'get',
      path: '/me',
      operationId: 'getMe',
      tags: ['Auth'],
      summary: 'Who the credential is',
      description: 'The tenant, scopes, kind (`via`), JWT subject and expiry of the credential the request carries. Any valid JWT or source key.',
      security: [{ bearer: [] }, { sourceKey: [] }],
      responses: {
        200: { description: 'The credential', content: { 'application/json': { schema: MeSchema } } },
        ...errorResponses(401, 403),
      },
    }),
    async (c) => {
      const auth = c.get('auth')
      const tenantName = await withTenant(c.get('services').db, auth.tenantId, (trx) => loadTenantName(trx, auth.tenantId))
      return c.json(
        {
          tenant_id: auth.tenantId,
          tenant_name: tenantName,
          scopes: [...auth.scopes].sort(),
          via: auth.via,
          trust: auth.trust,
          source_id: auth.source?.id ?? null,
          subject: auth.subject ?? null,
          expires_at: auth.expiresAt?.toISOString() ?? null,
        },
        200,
      )
    },
  )
  return app
}
