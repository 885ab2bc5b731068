import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { type Authenticator, authenticate } from '../../auth/authenticate'
import { retryOnConflict } from '../../db/retry-on-conflict'
import { withTenant } from '../../db/with-tenant'
import { StratumError } from '../../errors'
import type { AppEnv } from '../../http/app-env'
import { browserCors } from '../../http/cors'
import { limitBody } from '../../http/limit-body'
import { limitClientIp, limitCredential } from '../../http/rate-limit'
import { readJsonBody } from '../../ingest/read-json-body'
import { loadConsent } from '../../privacy/consent-state'
import { recordConsent } from '../../privacy/record-consent'
import { errorResponses } from '../schemas/error-schema'
import { ConsentRequestSchema, ConsentResultSchema, ConsentViewSchema } from '../schemas/privacy-schema'
import { ProfileIdParams } from '../schemas/profile-schema'
import { validationHook } from './validation-hook'
import { issueDetails } from '../../issue-details'

/** Up to 50 identifiers and 32 purposes: far below this. */
const CONSENT_BODY_BYTES = 64 * 1024

/**
 * `POST /consent` (JWT `events:write` or a source key, CORS like `/events`)
 * and `GET /profiles/{id}/consent` (`profiles:read`). The POST is not an
 * `openapi()` route because, like `/events`, it also takes `text/plain`
 * from the pixel's CORS-simple requests; it is documented by hand with the
 * schema that validates it.
 *
 * @example
 * app.route('/api/v1/cdp', consentRoutes(authenticator))
 */
export function consentRoutes(authenticator: Authenticator) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  app.use('/consent', browserCors())
  app.post(
    '/consent',
    limitClientIp(),
    authenticate(authenticator, { scope: 'events:write', allowSourceKey: true }),
    limitCredential(),
    limitBody(CONSENT_BODY_BYTES),
    async (c) => {
      const parsed = ConsentRequestSchema.safeParse(await readJsonBody(c.req.raw))
      if (!parsed.success) {
        throw new StratumError(
          400,
          'invalid_request',
          'The body must be {"identifiers": [...], "purposes": {"analytics": true, ...}, "policy_version"?: "..."}',
          issueDetails(parsed.error.issues),
        )
      }
      const { db, config, resolver } = c.get('services')
      const auth = c.get('auth')
      // Events that arrived before the decision are resolved under the consent they arrived with.
      await resolver.drain(auth.tenantId, config.resolveWaitMs)
      const options = { receivedAt: new Date(), defaultCountry: config.defaultCountry }
      // Resolution may merge profiles, so it can meet a concurrent ingest's locks like an event does.
      const result = await retryOnConflict(() => withTenant(db, auth.tenantId, (trx) => recordConsent(trx, auth, parsed.data, options)))
      return c.json(result, 200)
    },
  )
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/consent',
    operationId: 'recordConsent',
    tags: ['Privacy'],
    summary: 'Record consent',
    description:
      'Resolves the person from the identifiers (same rules as events; raw email/phone are normalised and hashed) and appends one record per purpose, with the caller\'s trust. A public source key may name only the browser\'s own `anonymous_id` and `device_id` (else 403 `identifier_not_allowed`), and its analytics denial suppresses browser events only. A marketing denial of either trust sets the profile flag `marketing_denied`. Identifiers on the suppression list (erased people) record nothing and answer `status: "suppressed"`.',
    security: [{ bearer: [] }, { sourceKey: [] }],
    request: {
      body: {
        required: true,
        content: { 'application/json': { schema: ConsentRequestSchema }, 'text/plain': { schema: ConsentRequestSchema } },
      },
    },
    responses: {
      200: { description: 'Recorded', content: { 'application/json': { schema: ConsentResultSchema } } },
      ...errorResponses(400, 401, 403, 413, 415, 429, 503),
    },
  })

  app.use('/profiles/:id/consent', authenticate(authenticator, { scope: 'profiles:read' }))
  app.openapi(
    createRoute({
      method: 'get',
      path: '/profiles/{id}/consent',
      operationId: 'getProfileConsent',
      tags: ['Privacy'],
      summary: "A person's consent",
      description:
        'Current state per purpose (the latest record) and the append-only history, including records made on profiles since merged into this one. A merged-away id answers for the surviving profile.',
      security: [{ bearer: [] }],
      request: { params: ProfileIdParams },
      responses: {
        200: { description: 'State and history', content: { 'application/json': { schema: ConsentViewSchema } } },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { tenantId } = c.get('auth')
      const view = await withTenant(c.get('services').db, tenantId, (trx) => loadConsent(trx, tenantId, id.toLowerCase()))
      if (!view) throw new StratumError(404, 'profile_not_found', 'No such profile')
      return c.json(view, 200)
    },
  )
  return app
}
