import { createMiddleware } from 'hono/factory'
import type { AppEnv } from './app-env'

/**
 * One structured log line per request: method, path (never the query string,
 * which can carry a source key or an identifier), status, latency, tenant.
 *
 * @example
 * app.use(requestLog())
 */
export function requestLog() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now()
    await next()
    c.get('services').log.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      latency_ms: Math.round((performance.now() - started) * 10) / 10,
      tenant: c.get('auth')?.tenantId,
    })
  })
}
