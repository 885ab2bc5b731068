import { Hono } from 'hono'
import { compress } from 'hono/compress'
import type { AppEnv } from '../../http/app-env'
import { consoleDist, readConsoleAsset, readConsoleIndex } from '../../http/console-files'
import { immutableFile } from '../../http/immutable-file'

/**
 * The console's Content-Security-Policy (collector/docs/console.md,
 * "Security"): its own scripts, styles, images and API only; no inline code,
 * no `eval`, no frame, no `<base>`.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/** The console's client routes: each answers index.html and the app picks the page. */
export const CONSOLE_PAGES = [
  '/console',
  '/console/',
  '/console/live',
  '/console/profiles',
  '/console/profiles/:id',
  '/console/sources',
  '/console/destinations',
  '/console/roi',
] as const

const pageHeaders = {
  'content-security-policy': CONSOLE_CSP,
  // Always revalidated, so a new build's asset names are picked up at once.
  'cache-control': 'no-cache',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Stratum console is not built</title></head>
<body><main><h1>The Stratum console is not built</h1>
<p>Run <code>pnpm build</code> at the repository root (or <code>pnpm start</code>, which builds first), then reload this page.</p>
</main></body></html>`

/**
 * `GET /console` and its client routes (index.html), and
 * `GET /console/assets/:file` (hashed files, cached for good), from the
 * `@stratum/console` package's build. Without a build the pages answer 503
 * with a page that says to run `pnpm build`. `dist` is the build's folder
 * (tests pass their own).
 *
 * @example
 * app.route('/', consoleRoutes())
 */
export function consoleRoutes(options: { dist?: () => string } = {}) {
  const dist = options.dist ?? consoleDist
  const app = new Hono<AppEnv>()
  for (const path of CONSOLE_PAGES) {
    app.get(path, async (c) => {
      const html = await readConsoleIndex(dist())
      return html ? c.html(html, 200, pageHeaders) : c.html(NOT_BUILT, 503, { ...pageHeaders, 'retry-after': '60' })
    })
  }
  app.use('/console/assets/*', compress())
  // The name carries the content's hash: a new build writes new names.
  app.get('/console/assets/:file', async (c) => immutableFile(await readConsoleAsset(dist(), c.req.param('file'))))
  return app
}
