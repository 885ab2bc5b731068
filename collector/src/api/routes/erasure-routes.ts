import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { type Authenticator, authenticate } from '../../auth/authenticate'
import { retryOnConflict } from '../../db/retry-on-conflict'
import { withTenant } from '../../db/with-tenant'
import type { AppEnv } from '../../http/app-env'
import { limitBody } from '../../http/limit-body'
import { limitCredential } from '../../http/rate-limit'
import { erasePerson } from '../../privacy/erase-person'
import { errorResponses } from '../schemas/error-schema'
import { ErasureRequestSchema, ErasureResultSchema } from '../schemas/privacy-schema'
import { validationHook } from './validation-hook'

/** One identifier: far below this. */
const ERASURE_BODY_BYTES = 16 * 1024

/**
 * `POST /erasure` (JWT `admin`): erases a person and audits it without PII.
 *
 * @example
 * app.route('/api/v1/cdp', erasureRoutes(authenticator))
 */
export function erasureRoutes(authenticator: Authenticator) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  app.use('/erasure', authenticate(authenticator, { scope: 'admin' }), limitCredential(), limitBody(ERASURE_BODY_BYTES))
  app.openapi(
    createRoute({
      method: 'post',
      path: '/erasure',
      operationId: 'erasePerson',
      tags: ['Privacy'],
      summary: 'Erase a person',
      description:
        'Deletes every profile reachable from the identifier (merged-away ones included) with their events in every partition, identifiers, sessions, consents and merge log rows; suppresses their identifiers so later events carrying them are dropped; keeps an audit row (who, when, counts, a hash of the request). Idempotent: a repeat erases nothing and is audited too.',
      security: [{ bearer: [] }],
      request: { body: { required: true, content: { 'application/json': { schema: ErasureRequestSchema } } } },
      responses: {
        200: { description: 'Erased', content: { 'application/json': { schema: ErasureResultSchema } } },
        ...errorResponses(400, 401, 403, 413, 415, 429, 503),
      },
    }),
    async (c) => {
      const { identifier_type: type, identifier_value: value } = c.req.valid('json')
      const { db, config, resolver } = c.get('services')
      const auth = c.get('auth')
      // Pending events are resolved first, so the person's are found on their profiles and erased with them;
      // any still pending afterwards carry a suppressed identifier and are dropped by the resolver.
      await resolver.drain(auth.tenantId, config.resolveWaitMs)
      const options = { requestedBy: auth.subject, defaultCountry: config.defaultCountry }
      const result = await retryOnConflict(() =>
        withTenant(db, auth.tenantId, (trx) => erasePerson(trx, auth.tenantId, { type, value }, options)),
      )
      return c.json(result, 200)
    },
  )
  return app
}
