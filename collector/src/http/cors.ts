import { createMiddleware } from 'hono/factory'
import type { AppEnv } from './app-env'

// analytics.js numbers its retries in X-Retry-Count.
const ALLOWED_HEADERS = 'Content-Type, X-Source-Key, Authorization, X-Retry-Count'
/** Chromium caps preflight caching at two hours. */
const PREFLIGHT_MAX_AGE = '7200'

/**
 * CORS for the browser-facing routes (events, consent, Segment's).
 *
 * A preflight cannot carry the source key in a header, so it is answered for
 * any origin; the real request is then authenticated and its origin checked
 * against the source's allow-list, and only an accepted request gets
 * `Access-Control-Allow-Origin` with its exact origin, never `*`.
 *
 * @example
 * app.use('/api/v1/cdp/events', browserCors())
 */
export function browserCors() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const origin = c.req.header('origin')
    if (c.req.method === 'OPTIONS') {
      if (!origin) return c.body(null, 204)
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': ALLOWED_HEADERS,
        'Access-Control-Max-Age': PREFLIGHT_MAX_AGE,
        Vary: 'Origin',
      })
    }
    await next()
    c.header('Vary', 'Origin', { append: true })
    if (!origin) return
    const auth = c.get('auth')
    const allowed = auth?.source?.allowedOrigins ?? []
    const accepted = auth?.via === 'source_key' && (allowed.length === 0 || allowed.includes(origin))
    // A 403 before authentication completed is an origin the source refuses:
    // that origin gets nothing readable, as the source's allow-list requires.
    const refused = c.res.status === 403 && !auth
    // Other errors are readable (they carry no data), so the pixel can tell a
    // 4xx to drop from a network failure to retry, and read Retry-After.
    if (accepted || (c.res.status >= 400 && !refused)) {
      c.header('Access-Control-Allow-Origin', origin)
      c.header('Access-Control-Expose-Headers', 'Retry-After')
    }
  })
}
