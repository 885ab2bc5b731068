import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Authenticator } from '../../auth/authenticate'
import { authenticate } from '../../auth/authenticate'
import type { Source } from '../../db/schema'
import type { AppEnv } from '../../http/app-env'
import { limitBody } from '../../http/limit-body'
import { limitCredential } from '../../http/rate-limit'
import { createSource, listSources } from '../../sources/create-source'
import { errorResponses } from '../schemas/error-schema'
import { NewSourceSchema, SourceSchema } from '../schemas/source-schema'
import { validationHook } from './validation-hook'

/** A source is a name and up to 100 origins: far below this. */
const SOURCE_BODY_BYTES = 64 * 1024

const toView = (s: Source) => ({
  id: s.id,
  name: s.name,
  source_type: s.source_type,
  source_key: s.source_key,
  allowed_origins: s.allowed_origins,
  created_at: s.created_at.toISOString(),
})

/**
 * `GET /sources` and `POST /sources`.
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
      return c.json({ data: sources.map(toView) }, 200)
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
        201: { description: 'Created; includes the source key', content: { 'application/json': { schema: SourceSchema } } },
        ...errorResponses(400, 401, 403, 415, 429),
      },
    }),
    async (c) => {
      const body = c.req.valid('json')
      const source = await createSource(c.get('services').db, c.get('auth').tenantId, {
        name: body.name,
        sourceType: body.source_type,
        allowedOrigins: body.allowed_origins,
      })
      return c.json(toView(source), 201)
    },
  )
  return app
}
