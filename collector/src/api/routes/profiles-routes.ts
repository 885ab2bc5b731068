import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { type Authenticator, authenticate } from '../../auth/authenticate'
import { withTenant } from '../../db/with-tenant'
import { StratumError } from '../../errors'
import type { AppEnv } from '../../http/app-env'
import { findProfileByIdentifier } from '../../profiles/find-profile-by-identifier'
import { listProfileEvents } from '../../profiles/list-profile-events'
import { loadMergeHistory } from '../../profiles/load-merge-history'
import { loadProfile, survivorOf } from '../../profiles/load-profile'
import { errorResponses } from '../schemas/error-schema'
import { IdentifierQuery, JourneyQuery, JourneySchema, MergeHistorySchema, ProfileIdParams, ProfileSchema } from '../schemas/profile-schema'
import { validationHook } from './validation-hook'

const notFound = () => new StratumError(404, 'profile_not_found', 'No such profile')

/**
 * `GET /profiles/{id}`, `GET /profiles?identifier_type=&identifier_value=`,
 * `GET /profiles/{id}/events` and `GET /profiles/{id}/merges`.
 *
 * @example
 * app.route('/api/v1/cdp', profilesRoutes(authenticator))
 */
export function profilesRoutes(authenticator: Authenticator) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  app.use('/profiles', authenticate(authenticator, { scope: 'profiles:read' }))
  app.use('/profiles/*', authenticate(authenticator, { scope: 'profiles:read' }))

  app.openapi(
    createRoute({
      method: 'get',
      path: '/profiles',
      operationId: 'findProfile',
      tags: ['Profiles'],
      summary: 'Look a profile up by identifier',
      description: 'Raw email/phone are normalised and hashed before lookup; a 64-hex value is taken as already hashed.',
      security: [{ bearer: [] }],
      request: { query: IdentifierQuery },
      responses: {
        200: { description: 'The (surviving) profile', content: { 'application/json': { schema: ProfileSchema } } },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { identifier_type, identifier_value } = c.req.valid('query')
      const { db, config } = c.get('services')
      const { tenantId } = c.get('auth')
      const profile = await withTenant(db, tenantId, async (trx) => {
        const owner = await findProfileByIdentifier(trx, tenantId, identifier_type, identifier_value, config.defaultCountry)
        return owner ? loadProfile(trx, tenantId, owner) : null
      })
      if (!profile) throw notFound()
      return c.json(profile, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/profiles/{id}',
      operationId: 'getProfile',
      tags: ['Profiles'],
      summary: 'Get a profile',
      description: 'A merged-away id answers with the surviving profile, `merged: true` and `requested_id`.',
      security: [{ bearer: [] }],
      request: { params: ProfileIdParams },
      responses: {
        200: { description: 'The (surviving) profile', content: { 'application/json': { schema: ProfileSchema } } },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { tenantId } = c.get('auth')
      const profile = await withTenant(c.get('services').db, tenantId, (trx) => loadProfile(trx, tenantId, id.toLowerCase()))
      if (!profile) throw notFound()
      return c.json(profile, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/profiles/{id}/events',
      operationId: 'listProfileEvents',
      tags: ['Profiles'],
      summary: "A profile's journey",
      description: 'Events of the profile and of every profile merged into it, newest first, cursor-paginated.',
      security: [{ bearer: [] }],
      request: { params: ProfileIdParams, query: JourneyQuery },
      responses: {
        200: { description: 'One page of events', content: { 'application/json': { schema: JourneySchema } } },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const query = c.req.valid('query')
      const { tenantId } = c.get('auth')
      const page = await withTenant(c.get('services').db, tenantId, async (trx) => {
        const survivor = await survivorOf(trx, tenantId, id.toLowerCase())
        return survivor ? listProfileEvents(trx, tenantId, survivor, query) : null
      })
      if (!page) throw notFound()
      return c.json(page, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/profiles/{id}/merges',
      operationId: 'listProfileMerges',
      tags: ['Profiles'],
      summary: "A profile's merge history",
      description:
        'The merges that built the surviving profile (every merge whose winner or loser is it or a profile merged into it) and the merges a guard stopped (its events with a `merge_blocked:<rule>` warning), newest first, at most 100 of each.',
      security: [{ bearer: [] }],
      request: { params: ProfileIdParams },
      responses: {
        200: { description: 'Merges and stopped merges', content: { 'application/json': { schema: MergeHistorySchema } } },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { tenantId } = c.get('auth')
      const history = await withTenant(c.get('services').db, tenantId, async (trx) => {
        const survivor = await survivorOf(trx, tenantId, id.toLowerCase())
        return survivor ? loadMergeHistory(trx, tenantId, survivor) : null
      })
      if (!history) throw notFound()
      return c.json(history, 200)
    },
  )
  return app
}
