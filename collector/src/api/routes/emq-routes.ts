import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { type Authenticator, authenticate } from '../../auth/authenticate'
import { withTenant } from '../../db/with-tenant'
import { buildEmqReport } from '../../emq/emq-report'
import { loadEmqSeries, seriesRange } from '../../emq/emq-series'
import { sourceExists } from '../../sources/create-source'
import { StratumError } from '../../errors'
import type { AppEnv } from '../../http/app-env'
import { EmqQuery, EmqReportSchema, EmqSeriesQuery, EmqSeriesSchema } from '../schemas/emq-schema'
import { errorResponses } from '../schemas/error-schema'
import { validationHook } from './validation-hook'

const sourceNotFound = () => new StratumError(404, 'source_not_found', 'No such source')

/**
 * `GET /emq`: signal health per source and for the tenant over the last 24 h
 * and 7 d — event count, mean EMQ, p10/p50/p90, band distribution, automation
 * level and the missing fields that would raise the mean most. `GET
 * /emq/series`: events, mean EMQ and bands per hour or day.
 *
 * @example
 * app.route('/api/v1/cdp', emqRoutes(authenticator))
 */
export function emqRoutes(authenticator: Authenticator) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  const canRead = authenticate(authenticator, { scope: 'profiles:read' })
  app.use('/emq', canRead)
  app.use('/emq/series', canRead)
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
      if (!report) throw sourceNotFound()
      return c.json(report, 200)
    },
  )
  app.openapi(
    createRoute({
      method: 'get',
      path: '/emq/series',
      operationId: 'getEmqSeries',
      tags: ['EMQ'],
      summary: 'EMQ over time: events, mean and bands per hour or day',
      description:
        'Buckets are whole UTC hours or days placed on `received_at`, oldest first, every bucket that overlaps `[from, to)` listed (empty ones with `events: 0`). At most 744 buckets; `from` must be before `to` (400 `invalid_range`).',
      security: [{ bearer: [] }],
      request: { query: EmqSeriesQuery },
      responses: {
        200: { description: 'The series', content: { 'application/json': { schema: EmqSeriesSchema } } },
        ...errorResponses(400, 401, 403, 404, 503),
      },
    }),
    async (c) => {
      const query = c.req.valid('query')
      const { from, to } = seriesRange(query, new Date())
      const { tenantId } = c.get('auth')
      const sourceId = query.source_id?.toLowerCase()
      const points = await withTenant(c.get('services').db, tenantId, async (trx) => {
        if (sourceId !== undefined && sourceId !== 'server' && !(await sourceExists(trx, tenantId, sourceId))) return null
        return loadEmqSeries(trx, tenantId, { from, to, bucket: query.bucket, sourceId: sourceId === 'server' ? null : sourceId })
      })
      if (!points) throw sourceNotFound()
      return c.json({ bucket: query.bucket, from: from.toISOString(), to: to.toISOString(), source_id: sourceId ?? null, points }, 200)
    },
  )
  return app
}
