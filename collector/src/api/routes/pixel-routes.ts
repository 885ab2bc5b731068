import { Hono } from 'hono'
import { etag } from 'hono/etag'
import { StratumError } from '../../errors'
import type { AppEnv } from '../../http/app-env'
import { readPixelFile } from '../../http/pixel-files'

/**
 * `GET /stratum.min.js` and the two chunks it loads from beside itself, so
 * that the collector on the site's own subdomain (`collect.shop.example`)
 * serves the pixel first-party and the script tag needs nothing else:
 * `<script async src="https://collect.shop.example/stratum.min.js" data-source-key="sk_…">`.
 * File names carry no version, so browsers keep them an hour and then
 * revalidate by ETag.
 *
 * @example
 * app.route('/', pixelRoutes())
 */
export function pixelRoutes() {
  const app = new Hono<AppEnv>()
  app.get('/:file{stratum(?:-identity|-device)?\\.min\\.js}', etag(), async (c) => {
    const body = await readPixelFile(c.req.param('file')).catch((error: Error) => {
      throw new StratumError(503, 'pixel_unavailable', error.message)
    })
    if (!body) throw new StratumError(404, 'not_found', 'No such route')
    return c.body(new Uint8Array(body), 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=3600',
      // Any site may load it, also one that isolates itself with Cross-Origin-Embedder-Policy.
      'cross-origin-resource-policy': 'cross-origin',
      'x-content-type-options': 'nosniff',
    })
  })
  return app
}
