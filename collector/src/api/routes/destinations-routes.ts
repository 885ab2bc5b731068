import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { type Authenticator, authenticate } from '../../auth/authenticate'
import { withTenant } from '../../db/with-tenant'
import {
  deleteDestination,
  findDestination,
  insertDestination,
  listDestinations,
  updateDestination,
} from '../../destinations/destination-store'
import { StratumError } from '../../errors'
import type { AppEnv } from '../../http/app-env'
import { limitBody } from '../../http/limit-body'
import { limitCredential } from '../../http/rate-limit'
import { DestinationIdParams, DestinationPatchSchema, DestinationSchema, NewDestinationSchema } from '../schemas/destination-schema'
import { errorResponses } from '../schemas/error-schema'
import { destinationInput, destinationView, patchedInput } from './destination-input'
import { validationHook } from './validation-hook'

/** A destination is a few settings and up to 200 filter entries: far below this. */
const DESTINATION_BODY_BYTES = 64 * 1024

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } })
const notFound = () => new StratumError(404, 'destination_not_found', 'No such destination')

/**
 * `POST /destinations`, `GET /destinations`, `GET`, `PATCH` and `DELETE
 * /destinations/{id}` (JWT `admin`): where the Trust Engine delivers events
 * (`collector/docs/trust-engine.md`). Secrets are sealed with the collector's
 * encryption key and never answered, except a generated webhook secret once.
 *
 * @example
 * app.route('/api/v1/cdp', destinationsRoutes(authenticator))
 */
export function destinationsRoutes(authenticator: Authenticator) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  const admin = authenticate(authenticator, { scope: 'admin' })
  // `/destinations/:id/…` (held events, deliveries) has its own routes and middleware.
  app.use('/destinations', admin)
  app.use('/destinations/:id', admin)
  app.on(['POST', 'PATCH'], ['/destinations', '/destinations/:id'], limitCredential(), limitBody(DESTINATION_BODY_BYTES))
  const route = { tags: ['Destinations'], security: [{ bearer: [] }] }

  app.openapi(
    createRoute({
      ...route,
      method: 'post',
      path: '/destinations',
      operationId: 'createDestination',
      summary: 'Create a destination',
      request: { body: { required: true, ...json(NewDestinationSchema) } },
      responses: { 201: { description: 'Created', ...json(DestinationSchema) }, ...errorResponses(400, 401, 403, 413, 415, 429, 503) },
    }),
    async (c) => {
      const { db, secretBox, log } = c.get('services')
      const auth = c.get('auth')
      const { input, generated } = destinationInput(c.req.valid('json'), auth.subject)
      const created = await withTenant(db, auth.tenantId, (trx) => insertDestination(trx, auth.tenantId, input, secretBox, new Date()))
      if (created.override_at) log.info('destination_override', { tenant: auth.tenantId, destination: created.id, by: created.override_by ?? '' })
      return c.json(destinationView(created, generated), 201)
    },
  )
  app.openapi(
    createRoute({
      ...route,
      method: 'get',
      path: '/destinations',
      operationId: 'listDestinations',
      summary: 'List destinations',
      responses: { 200: { description: 'Destinations', ...json(z.object({ data: z.array(DestinationSchema) })) }, ...errorResponses(401, 403) },
    }),
    async (c) => {
      const { tenantId } = c.get('auth')
      const all = await withTenant(c.get('services').db, tenantId, (trx) => listDestinations(trx, tenantId))
      return c.json({ data: all.map((d) => destinationView(d)) }, 200)
    },
  )
  app.openapi(
    createRoute({
      ...route,
      method: 'get',
      path: '/destinations/{id}',
      operationId: 'getDestination',
      summary: 'A destination',
      request: { params: DestinationIdParams },
      responses: { 200: { description: 'The destination', ...json(DestinationSchema) }, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { tenantId } = c.get('auth')
      const id = c.req.valid('param').id.toLowerCase()
      const found = await withTenant(c.get('services').db, tenantId, (trx) => findDestination(trx, tenantId, id))
      if (!found) throw notFound()
      return c.json(destinationView(found), 200)
    },
  )
  app.openapi(
    createRoute({
      ...route,
      method: 'patch',
      path: '/destinations/{id}',
      operationId: 'updateDestination',
      summary: 'Enable, disable or change a destination',
      description:
        'Config keys merge into the current config (a new secret replaces the old one); `filters` and `policy` are replaced when given. Setting `policy.override` records who set it and when.',
      request: { params: DestinationIdParams, body: { required: true, ...json(DestinationPatchSchema) } },
      responses: { 200: { description: 'The destination', ...json(DestinationSchema) }, ...errorResponses(400, 401, 403, 404, 413, 415, 429) },
    }),
    async (c) => {
      const { db, secretBox, log } = c.get('services')
      const auth = c.get('auth')
      const id = c.req.valid('param').id.toLowerCase()
      const patch = c.req.valid('json')
      const updated = await withTenant(db, auth.tenantId, async (trx) => {
        const current = await findDestination(trx, auth.tenantId, id, true)
        if (!current) throw notFound()
        const input = patchedInput(current, patch, secretBox, auth.subject)
        const saved = await updateDestination(trx, auth.tenantId, current, input, secretBox, new Date())
        if (saved?.override_at && !current.override_at) {
          log.info('destination_override', { tenant: auth.tenantId, destination: id, by: saved.override_by ?? '' })
        }
        return saved
      })
      if (!updated) throw notFound()
      return c.json(destinationView(updated), 200)
    },
  )
  app.openapi(
    createRoute({
      ...route,
      method: 'delete',
      path: '/destinations/{id}',
      operationId: 'deleteDestination',
      summary: 'Delete a destination and its pending deliveries',
      request: { params: DestinationIdParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { tenantId } = c.get('auth')
      const id = c.req.valid('param').id.toLowerCase()
      const deleted = await withTenant(c.get('services').db, tenantId, (trx) => deleteDestination(trx, tenantId, id))
      if (!deleted) throw notFound()
      return c.body(null, 204)
    },
  )
  return app
}
