import { Hono } from 'hono'
import { compress } from 'hono/compress'
import { etag } from 'hono/etag'
import { StratumError } from '../../errors'
import type { AppEnv } from '../../http/app-env'
import { immutableFile } from '../../http/immutable-file'
import { readVendorFile } from '../../http/vendor-assets'
import { DOCS_ASSETS, INIT_SCRIPTS, redocPage, swaggerPage } from './docs-pages'

/**
 * The pages' Content-Security-Policy: scripts, styles, images and
 * requests from this origin only (`data:` images are the UIs' own icons),
 * never a plugin, a frame, a `<base>` or a form post, and no `eval`.
 * Swagger UI needs nothing more. ReDoc needs two things (see
 * collector/docs/api-docs.md): its search index runs in a Web Worker built
 * from a `blob:` URL, and it inserts two `<style>` elements, allowed by the
 * hash of their fixed text: the scrollbar's CSS, and an empty one that
 * styled-components fills through the CSSOM (which CSP does not govern).
 * The hashes belong to ReDoc 2.5.4; the e2e test fails on any violation.
 */
const CSP = {
  swagger: policy("style-src 'self'"),
  redoc: policy(
    "style-src 'self' 'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc=' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
    'worker-src blob:',
  ),
}

function policy(...extra: string[]) {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    ...extra,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

const pageHeaders = (csp: string) => ({
  'content-security-policy': csp,
  // Small and cheap to build: always fresh, so a new version's asset URLs are picked up at once.
  'cache-control': 'no-cache',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
})

/**
 * `GET /docs` (Swagger UI) and `GET /redoc` (ReDoc), with every file they
 * load served by the collector from the `swagger-ui-dist` and `redoc`
 * packages under `/docs/assets`: the pages work offline and behind a strict
 * Content-Security-Policy, and no request leaves the reader's machine.
 * Vendor files live at URLs naming the package's version and are cached for
 * good; the small init scripts revalidate by ETag.
 *
 * @example
 * app.route('/', docsUiRoutes())
 */
export function docsUiRoutes() {
  const app = new Hono<AppEnv>()
  app.get('/docs', (c) => c.html(swaggerPage(), 200, pageHeaders(CSP.swagger)))
  app.get('/redoc', (c) => c.html(redocPage(), 200, pageHeaders(CSP.redoc)))
  app.use(`${DOCS_ASSETS}/*`, compress())
  app.get(`${DOCS_ASSETS}/:file{[a-z]+-init\\.js}`, etag(), (c) => {
    const script = INIT_SCRIPTS[c.req.param('file')]
    if (!script) throw new StratumError(404, 'not_found', 'No such route')
    return c.body(script, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' })
  })
  app.get(`${DOCS_ASSETS}/:release/:file`, async (c) => immutableFile(await readVendorFile(c.req.param('release'), c.req.param('file'))))
  return app
}
