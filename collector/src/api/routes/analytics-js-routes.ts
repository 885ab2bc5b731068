import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { compress } from 'hono/compress'
import { etag } from 'hono/etag'
import { type Authenticator, authenticateSourceKey } from '../../auth/authenticate'
import { StratumError } from '../../errors'
import type { AppEnv } from '../../http/app-env'
import { analyticsNextChunk, analyticsNextStandalone } from '../../http/analytics-next-files'
import type { ProxyMatcher } from '../../http/client-ip'
import { browserCors } from '../../http/cors'
import { limitClientIp } from '../../http/rate-limit'
import { settingsDocument } from '../../segment/settings-document'
import { errorResponses } from '../schemas/error-schema'
import { SegmentSettingsSchema } from '../schemas/segment-schema'

const SCRIPT_HEADERS = {
  'content-type': 'text/javascript; charset=utf-8',
  // Any site may load it, also one that isolates itself with Cross-Origin-Embedder-Policy.
  'cross-origin-resource-policy': 'cross-origin',
  'x-content-type-options': 'nosniff',
}

/** A host as a `Host` header may carry it: a name or an IP, and a port. */
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/

/**
 * What analytics.js (`@segment/analytics-next`, unmodified) loads when its
 * snippet points at the collector instead of Segment's CDN
 * (`collector/docs/segment.md`): the standalone bundle at
 * `/analytics.js/v1/{writeKey}/analytics.min.js`, its chunks under
 * `/analytics-next/bundles/`, both from the installed npm package, and the
 * source's settings at `/v1/projects/{writeKey}/settings`, which send its
 * events to this collector. Nothing is fetched from Segment.
 *
 * @example
 * app.route('/', analyticsJsRoutes(authenticator, trustedProxies))
 */
export function analyticsJsRoutes(authenticator: Authenticator, trustedProxies: ProxyMatcher) {
  const app = new OpenAPIHono<AppEnv>()
  app.use('/analytics.js/*', compress())
  app.use('/analytics-next/*', compress())
  app.get('/analytics.js/v1/:writeKey/analytics.min.js', etag(), async (c) => {
    const script = await analyticsNextStandalone()
    if (!script) throw new StratumError(503, 'analytics_js_unavailable', '@segment/analytics-next is not installed')
    return c.body(new Uint8Array(script), 200, { ...SCRIPT_HEADERS, 'cache-control': 'public, max-age=3600' })
  })
  app.get('/analytics-next/bundles/:file', async (c) => {
    const chunk = await analyticsNextChunk(c.req.param('file'))
    if (!chunk) throw new StratumError(404, 'not_found', 'No such route')
    // Named by their content's hash: they never change at their URL.
    return c.body(new Uint8Array(chunk), 200, { ...SCRIPT_HEADERS, 'cache-control': 'public, max-age=31536000, immutable' })
  })

  app.use('/v1/projects/*', browserCors())
  app.use('/v1/projects/*', limitClientIp())
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/projects/{writeKey}/settings',
      operationId: 'segmentSettings',
      tags: ['Segment'],
      summary: 'Segment: settings for analytics.js',
      description:
        "The settings document analytics.js fetches at load: it sends the source's events to this collector. The key must be a public source key, from one of its source's allowed origins; a secret key is refused (it never travels in a URL).",
      // The key travels in the path, as analytics.js asks for it.
      security: [],
      request: { params: z.object({ writeKey: z.string().max(200).openapi({ description: 'A public source key' }) }) },
      responses: {
        200: { description: 'The settings', content: { 'application/json': { schema: SegmentSettingsSchema } } },
        ...errorResponses(401, 403, 429),
      },
    }),
    async (c) => {
      const { writeKey } = c.req.valid('param')
      c.set('auth', await authenticateSourceKey(authenticator, writeKey, true, c))
      // Per browser: the answer names the host it was asked on, and its CORS grant the asking origin.
      return c.json(settingsDocument(writeKey, publicOrigin(c, trustedProxies)), 200, { 'cache-control': 'private, max-age=300' })
    },
  )
  return app
}

/**
 * The scheme and host a browser reached the collector at: the request's, or
 * what a trusted proxy forwards (`X-Forwarded-Proto`, `X-Forwarded-Host`).
 */
function publicOrigin(c: Context<AppEnv>, trustedProxies: ProxyMatcher): { host: string; protocol: 'http' | 'https' } {
  const url = new URL(c.req.url)
  const peer = c.get('services').remoteAddress(c)
  const proxied = peer !== undefined && trustedProxies(peer)
  const forwarded = (name: string) => (proxied ? c.req.header(name)?.split(',')[0]?.trim() || undefined : undefined)
  const host = forwarded('x-forwarded-host') ?? url.host
  if (!HOST.test(host)) throw new StratumError(400, 'invalid_host', 'The Host header is not a host name')
  return { host, protocol: (forwarded('x-forwarded-proto') ?? url.protocol.slice(0, -1)) === 'https' ? 'https' : 'http' }
}
