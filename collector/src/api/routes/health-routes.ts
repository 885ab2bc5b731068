import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { sql, type Transaction } from 'kysely'
import { type Authenticator, authenticate } from '../../auth/authenticate'
import type { Database } from '../../db/schema'
import { withTenant } from '../../db/with-tenant'
import { loadSignalHealth } from '../../emq/emq-report'
import { loadResolutionBacklog } from '../../resolver/resolution-backlog'
import { StratumError } from '../../errors'
import type { AppEnv } from '../../http/app-env'
import { STORAGE_RETRY_AFTER_SECONDS } from '../../http/storage-unavailable'
import { VERSION } from '../../version'
import { SignalHealthSchema } from '../schemas/emq-schema'
import { errorResponses } from '../schemas/error-schema'

/** Checks storage with a trivial query. */
async function probeStorage(c: { get(key: 'services'): AppEnv['Variables']['services'] }) {
  const started = performance.now()
  try {
    await sql`SELECT 1`.execute(c.get('services').db)
    return { status: 'ok' as const, latency_ms: Math.round((performance.now() - started) * 10) / 10 }
  } catch {
    return { status: 'unavailable' as const, latency_ms: null }
  }
}

/**
 * `GET /health` (authenticated: storage, version, the tenant's signal health)
 * and the unauthenticated orchestrator probes `/livez` and `/readyz` (which
 * fails while storage is down).
 *
 * @example
 * app.route('/', probeRoutes()); app.route('/api/v1/cdp', healthRoutes(authenticator))
 */
export function healthRoutes(authenticator: Authenticator) {
  const app = new OpenAPIHono<AppEnv>()
  app.use('/health', authenticate(authenticator, { scope: 'events:write', anyScope: true }))
  app.openapi(
    createRoute({
      method: 'get',
      path: '/health',
      operationId: 'getHealth',
      tags: ['Health'],
      summary: 'Storage status, version and signal health',
      security: [{ bearer: [] }],
      responses: {
        200: {
          description: 'Health',
          content: {
            'application/json': {
              schema: z.object({
                status: z.enum(['ok', 'degraded']),
                version: z.string(),
                storage: z.object({ status: z.string(), kind: z.string(), latency_ms: z.number().nullable() }),
                tenant_id: z.string(),
                signal_health: SignalHealthSchema.nullable().openapi({
                  description: "The tenant's mean EMQ over the last 24 h (received) and the automation it unlocks; null while storage is down",
                }),
                resolution: z
                  .object({ pending: z.number().int(), oldest_pending_seconds: z.number().nullable() })
                  .nullable()
                  .openapi({ description: 'Events stored but not yet resolved into profiles (collector/docs/pipeline.md); null while storage is down' }),
              }),
            },
          },
        },
        ...errorResponses(401, 403),
      },
    }),
    async (c) => {
      const storage = await probeStorage(c)
      const { tenantId } = c.get('auth')
      const { db, log } = c.get('services')
      // A health check must answer even when the EMQ query fails: say so with
      // `degraded` and a null signal health rather than a 500.
      const read = <T>(what: string, load: (trx: Transaction<Database>) => Promise<T>) =>
        storage.status === 'ok'
          ? withTenant(db, tenantId, load).catch((error: unknown) => {
              log.error(`${what} failed`, { tenant_id: tenantId, error: String(error) })
              return null
            })
          : null
      const now = new Date()
      const [signalHealth, resolution] = await Promise.all([
        read('signal health', (trx) => loadSignalHealth(trx, tenantId, now)),
        read('resolution backlog', (trx) => loadResolutionBacklog(trx, tenantId, now)),
      ])
      return c.json(
        {
          status: storage.status === 'ok' && signalHealth && resolution ? ('ok' as const) : ('degraded' as const),
          version: VERSION,
          storage: { ...storage, kind: c.get('services').config.databaseUrl ? 'postgres' : 'pglite' },
          tenant_id: tenantId,
          signal_health: signalHealth,
          resolution,
        },
        200,
      )
    },
  )
  return app
}

/** `/livez` and `/readyz`, outside the API base path and without auth. */
export function probeRoutes() {
  const app = new OpenAPIHono<AppEnv>()
  app.get('/livez', (c) => c.json({ status: 'ok' }))
  app.get('/readyz', async (c) => {
    const storage = await probeStorage(c)
    if (storage.status === 'ok') return c.json({ status: 'ready', storage })
    throw new StratumError(503, 'not_ready', 'Storage is unavailable', [], {
      'Retry-After': String(STORAGE_RETRY_AFTER_SECONDS),
    })
  })
  return app
}
