import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { Selectable, Transaction } from 'kysely'
import { type Authenticator, authenticate } from '../../auth/authenticate'
import type { Database, DeliveriesTable } from '../../db/schema'
import { withTenant } from '../../db/with-tenant'
import { listDeliveries, moveDeliveries } from '../../destinations/delivery-queue'
import { findDestination } from '../../destinations/destination-store'
import { StratumError } from '../../errors'
import type { AppEnv } from '../../http/app-env'
import { limitBody } from '../../http/limit-body'
import { limitCredential } from '../../http/rate-limit'
import { DeliveriesQuery, DeliverySchema, MovedSchema, PageQuery, SelectionSchema } from '../schemas/delivery-schema'
import { DestinationIdParams } from '../schemas/destination-schema'
import { errorResponses } from '../schemas/error-schema'
import { validationHook } from './validation-hook'

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } })

const view = (d: Selectable<DeliveriesTable>) => ({
  event_id: d.event_id,
  event_name: d.event_name,
  event_time: d.event_time.toISOString(),
  source_id: d.source_id,
  emq: d.emq,
  status: d.status,
  level: d.level,
  reason: d.reason,
  attempts: d.attempts,
  next_attempt_at: d.status === 'pending' || d.status === 'sending' ? d.next_attempt_at.toISOString() : null,
  created_at: d.created_at.toISOString(),
  updated_at: d.updated_at.toISOString(),
  delivered_at: d.delivered_at?.toISOString() ?? null,
})

/** The operator's moves: release or discard held events, retry dead letters. */
const MOVES = [
  { path: '/destinations/{id}/held/release', operationId: 'releaseHeldEvents', from: 'held', to: 'released', summary: 'Release held events: they are delivered without the gate' },
  { path: '/destinations/{id}/held/discard', operationId: 'discardHeldEvents', from: 'held', to: 'discarded', summary: 'Discard held events' },
  { path: '/destinations/{id}/deliveries/retry', operationId: 'retryDeadLetters', from: 'dead', to: 'retried', summary: 'Retry dead letters, their attempts counted anew' },
] as const

/**
 * `GET /destinations/{id}/held`, `GET /destinations/{id}/deliveries?status=`,
 * and the operator's moves (JWT `admin`): `POST …/held/release`,
 * `…/held/discard` and `…/deliveries/retry`, each taking `{"event_ids": […]}`
 * or `{"filter": {…}}` (`collector/docs/trust-engine.md`).
 *
 * @example
 * app.route('/api/v1/cdp', deliveriesRoutes(authenticator))
 */
export function deliveriesRoutes(authenticator: Authenticator) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  app.use('/destinations/:id/*', authenticate(authenticator, { scope: 'admin' }))
  app.post('/destinations/:id/*', limitCredential(), limitBody(128 * 1024))
  const route = { tags: ['Destinations'], security: [{ bearer: [] }] }
  /** Runs `work` for a destination of the caller's tenant, 404 when there is none. */
  const forDestination = <T>(c: Context<AppEnv>, id: string, work: (trx: Transaction<Database>) => Promise<T>) => {
    const { tenantId } = c.get('auth')
    return withTenant(c.get('services').db, tenantId, async (trx) => {
      if (!(await findDestination(trx, tenantId, id.toLowerCase()))) throw new StratumError(404, 'destination_not_found', 'No such destination')
      return work(trx)
    })
  }
  const page = z.object({ next_cursor: z.string().nullable() })

  app.openapi(
    createRoute({
      ...route,
      method: 'get',
      path: '/destinations/{id}/held',
      operationId: 'listHeldEvents',
      summary: 'Events the gate holds for an operator',
      request: { params: DestinationIdParams, query: PageQuery },
      responses: { 200: { description: 'Held events', ...json(page.extend({ events: z.array(DeliverySchema) })) }, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { limit, cursor } = c.req.valid('query')
      const { tenantId } = c.get('auth')
      const { rows, next } = await forDestination(c, id, (trx) => listDeliveries(trx, tenantId, id.toLowerCase(), { status: 'held', limit, after: cursor }))
      return c.json({ events: rows.map(view), next_cursor: next }, 200)
    },
  )
  app.openapi(
    createRoute({
      ...route,
      method: 'get',
      path: '/destinations/{id}/deliveries',
      operationId: 'listDeliveries',
      summary: "A destination's deliveries, by status",
      request: { params: DestinationIdParams, query: DeliveriesQuery },
      responses: { 200: { description: 'Deliveries', ...json(page.extend({ deliveries: z.array(DeliverySchema) })) }, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { limit, cursor, status } = c.req.valid('query')
      const { tenantId } = c.get('auth')
      const { rows, next } = await forDestination(c, id, (trx) => listDeliveries(trx, tenantId, id.toLowerCase(), { status, limit, after: cursor }))
      return c.json({ deliveries: rows.map(view), next_cursor: next }, 200)
    },
  )
  for (const move of MOVES) {
    app.openapi(
      createRoute({
        ...route,
        method: 'post',
        path: move.path,
        operationId: move.operationId,
        summary: move.summary,
        request: { params: DestinationIdParams, body: { required: true, ...json(SelectionSchema) } },
        responses: { 200: { description: 'How many moved', ...json(MovedSchema) }, ...errorResponses(400, 401, 403, 404, 413, 415, 429) },
      }),
      async (c) => {
        const { id } = c.req.valid('param')
        const { tenantId } = c.get('auth')
        const selection = c.req.valid('json')
        const moved = await forDestination(c, id, (trx) =>
          moveDeliveries(trx, tenantId, id.toLowerCase(), selection, { from: move.from, to: move.to }, new Date()),
        )
        return c.json({ moved }, 200)
      },
    )
  }
  return app
}
