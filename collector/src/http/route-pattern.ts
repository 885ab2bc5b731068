import type { Context } from 'hono'
import { matchedRoutes } from 'hono/route'

/** What is logged for a request no route matched: its path could hold anything. */
export const UNMATCHED_ROUTE = '(unmatched)'

/**
 * The pattern of the route that served a request (`/api/v1/cdp/profiles/:id`),
 * for logs: the path as sent can carry an email or a key, the pattern never
 * does. The endpoint's own route when one matched, else the most specific
 * middleware's (a CORS preflight), else {@link UNMATCHED_ROUTE}.
 *
 * @example
 * log.info('request', { path: routePattern(c) })
 */
export function routePattern(c: Context): string {
  const routes = matchedRoutes(c).filter((r) => r.path !== '/*' && r.path !== '*')
  const endpoint = routes.findLast((r) => r.method !== 'ALL') ?? routes.at(-1)
  return endpoint?.path ?? UNMATCHED_ROUTE
}
