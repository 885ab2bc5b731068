import { createMiddleware } from 'hono/factory'
import type { AppEnv } from './app-env'
import { handleError } from './handle-error'
import { routePattern } from './route-pattern'

/**
 * One structured log line per request: method, the route's pattern (never the
 * path as sent, which can carry an email, nor the query string, which can
 * carry a source key or an identifier), status, latency, tenant.
 *
 * An error that escapes the layers below (the not-found handler's, which Hono
 * does not route through `onError` at that level) is answered here with the
 * app's error handler, so that it is logged with its real status too.
 *
 * @example
 * app.use(requestLog())
 */
export function requestLog() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now()
    try {
      await next()
    } catch (error) {
      c.res = handleError(error instanceof Error ? error : new Error(String(error)), c)
    }
    c.get('services').log.info('request', {
      method: c.req.method,
      path: routePattern(c),
      status: c.res.status,
      latency_ms: Math.round((performance.now() - started) * 10) / 10,
      tenant: c.get('auth')?.tenantId,
    })
  })
}
