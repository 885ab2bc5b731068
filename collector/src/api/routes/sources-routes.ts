import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Authenticator } from '../../auth/authenticate'
import { authenticate } from '../../auth/authenticate'
import type { Source } from '../../db/schema'
import { StratumError } from '../../errors'
import type { AppEnv } from '../../http/app-env'
import { limitBody } from '../../http/limit-body'
import { limitCredential } from '../../http/rate-limit'
import { createSource, listSources, rotateSourceKey, trustOf } from '../../sources/create-source'
import { updateSource } from '../../sources/update-source'
import { errorResponses } from '../schemas/error-schema'
import { NewSourceSchema, NO_ORIGINS_FOR_SECRET_KEYS, SourceIdParams, SourcePatchSchema, SourceSchema } from '../schemas/source-schema'
import { validationHook } from './validation-hook'

/** A source is a name and up to 100 origins: far below this. */
const SOURCE_BODY_BYTES = 64 * 1024

/** A source as the API shows it; `key` is the full key, given only when it was just made. */
const toView = (s: Source, key?: string) => ({
  id: s.id,
  name: s.name,
  source_type: s.source_type,
  trust: trustOf(s),
  source_key: key ?? s.source_key,
  allowed_origins: s.allowed_origins,
  requires_marketing_consent: s.requires_marketing_consent,
  created_at: s.created_at.toISOString(),
})

const notFound = () => new StratumError(404, 'source_not_found', 'No such source')

/**
 * `GET /sources`, `POST /sources`, `PATCH /sources/{id}` and
 * `POST /sources/{id}/rotate-key`.
 *
 * @example
 * app.route('/api/v1/cdp', sourcesRoutes(authenticator))
 */
export function sourcesRoutes(authenticator: Authenticator) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  // Built once: each middleware remembers the tenants it has provisioned.
  const canRead = authenticate(authenticator, { scope: 'sources:read' })
  const canWrite = authenticate(authenticator, { scope: 'sources:write' })
  app.use('/sources', (c, next) => (c.req.method === 'GET' ? canRead(c, next) : canWrite(c, next)))
  app.post('/sources', limitCredential(), limitBody(SOURCE_BODY_BYTES))
  app.openapi(
    createRoute({
      method: 'get',
      path: '/sources',
      operationId: 'listSources',
      tags: ['Sources'],
      summary: 'List sources',
      security: [{ bearer: [] }],
      responses: {
        200: { description: 'Sources', content: { 'application/json': { schema: z.object({ data: z.array(SourceSchema) }) } } },
        ...errorResponses(401, 403),
      },
    }),
    async (c) => {
      const sources = await listSources(c.get('services').db, c.get('auth').tenantId)
      return c.json({ data: sources.map((s) => toView(s)) }, 200)
    },
  )
  app.openapi(
    createRoute({
      method: 'post',
      path: '/sources',
      operationId: 'createSource',
      tags: ['Sources'],
      summary: 'Create a source',
      security: [{ bearer: [] }],
      request: { body: { required: true, content: { 'application/json': { schema: NewSourceSchema } } } },
      responses: {
        201: {
          description: 'Created; includes the source key (a secret key is shown this once)',
          content: { 'application/json': { schema: SourceSchema } },
        },
        ...errorResponses(400, 401, 403, 415, 429),
      },
    }),
    async (c) => {
      const body = c.req.valid('json')
      const { source, key } = await createSource(c.get('services').db, c.get('auth').tenantId, {
        name: body.name,
        sourceType: body.source_type,
        allowedOrigins: body.allowed_origins,
        requiresMarketingConsent: body.requires_marketing_consent,
      })
      return c.json(toView(source, key), 201)
    },
  )
  app.patch('/sources/:id', canWrite, limitCredential(), limitBody(SOURCE_BODY_BYTES))
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/sources/{id}',
      operationId: 'updateSource',
      tags: ['Sources'],
      summary: 'Change a source',
      description:
        "Changes the name, the allowed origins or the marketing-consent rule; absent fields stay. Each is validated as when the source is created. A changed allow-list applies at once on the collector process that answers, and within 30 seconds on the others (their key cache). The type and the key do not change (a secret key is not shown).",
      security: [{ bearer: [] }],
      request: {
        params: SourceIdParams,
        body: { required: true, content: { 'application/json': { schema: SourcePatchSchema } } },
      },
      responses: {
        200: { description: 'The changed source', content: { 'application/json': { schema: SourceSchema } } },
        ...errorResponses(400, 401, 403, 404, 415, 429),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const body = c.req.valid('json')
      const update = await updateSource(c.get('services').db, c.get('auth').tenantId, id.toLowerCase(), {
        name: body.name,
        allowedOrigins: body.allowed_origins,
        requiresMarketingConsent: body.requires_marketing_consent,
      })
      if (update.outcome === 'not_found') throw notFound()
      if (update.outcome === 'origins_refused') {
        throw new StratumError(400, 'invalid_request', 'Invalid json', [{ path: 'allowed_origins', code: 'custom', message: NO_ORIGINS_FOR_SECRET_KEYS }])
      }
      const { source, originsChanged } = update
      // The allow-list is cached with the public key: this process applies the new one at once.
      if (originsChanged && source.source_key) authenticator.lookupSourceKey.forget(source.source_key)
      return c.json(toView(source), 200)
    },
  )
  app.use('/sources/:id/rotate-key', authenticate(authenticator, { scope: 'admin' }), limitCredential())
  app.openapi(
    createRoute({
      method: 'post',
      path: '/sources/{id}/rotate-key',
      operationId: 'rotateSourceKey',
      tags: ['Sources'],
      summary: "Replace a source's key",
      description:
        'Gives the source a new key and answers it once: a secret key (server trust) for `server` and `crm` sources — also those created before secret keys, whose public key it replaces — and a public key otherwise. The old key stops working: a secret key at once, a public key within 30 seconds on every collector process.',
      security: [{ bearer: [] }],
      request: { params: SourceIdParams },
      responses: {
        200: { description: 'The source with its new key', content: { 'application/json': { schema: SourceSchema } } },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const rotated = await rotateSourceKey(c.get('services').db, c.get('auth').tenantId, id.toLowerCase())
      if (!rotated) throw notFound()
      if (rotated.previousKey) authenticator.lookupSourceKey.forget(rotated.previousKey)
      return c.json(toView(rotated.source, rotated.key), 200)
    },
  )
  return app
}
