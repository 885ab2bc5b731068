import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { fileURLToPath } from 'node:url'
import { listen } from './listen'

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url))
const SNIPPET = fileURLToPath(new URL('../../snippet/snippet.min.js', import.meta.url))

/** How a test page loads and calls the pixel; travels in the page URL (see {@link sitePath}). */
export interface PageConfig {
  /** `snippet` (default): the inline snippet. `script`: a plain `<script src>` with data attributes. `none`: no pixel. */
  load?: 'snippet' | 'script' | 'none'
  /** Options of `stratum('init', …)`, over `{ sourceKey, endpoint }` of the e2e source. */
  init?: Record<string, unknown>
  /** `stratum(...)` calls made by the page right after loading the pixel (from `/app.js`). */
  calls?: unknown[][]
  /** Serve with `Content-Security-Policy: script-src 'self'; connect-src <collector>`. */
  csp?: boolean
  title?: string
  /** Marks the events of one test (their page URLs carry the config), to find them in the proxy's log. */
  testId?: string
}

/**
 * The URL path of a test page: `/t/<config>/<path>`, the config as base64url
 * JSON, so that SPA navigations under `/t/<config>/` keep it and query
 * strings stay free for `utm_*`, `fbclid` and `gclid`.
 *
 * @example
 * page.goto(`http://www.shop.stratum.test:${port}${sitePath({ init: { requireConsent: true } }, 'cart?utm_source=x')}`)
 */
export function sitePath(config: PageConfig, path = ''): string {
  return `/t/${Buffer.from(JSON.stringify(config)).toString('base64url')}/${path}`
}

function pageHtml(config: PageConfig, defaults: { sourceKey: string; endpoint: string }, configSegment: string) {
  const init: Record<string, unknown> = { ...defaults, ...config.init }
  const load = config.load ?? 'snippet'
  const app = `<script src="/app.js?c=${configSegment}"></script>`
  const pixel =
    load === 'snippet'
      ? `<script>${snippetWith(init)}</script>${app}`
      : load === 'script'
        ? `<script src="/stratum.min.js" data-source-key="${String(init.sourceKey)}" data-endpoint="${String(init.endpoint)}"${
            init.path ? ` data-path="${String(init.path)}"` : ''
          }></script>${app}`
        : ''
  const title = config.title ?? 'Stratum test shop'
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>${pixel}</head>
<body><h1>${title}</h1><a id="next" href="next">next</a><a id="blank" href="/blank">blank</a></body></html>`
}

let snippetSource = ''
function snippetWith(init: Record<string, unknown>): string {
  return snippetSource
    .replace('https://collect.shop.example/stratum.min.js', '/stratum.min.js')
    .replace(/stratum\("init",\{.*\}\);?\s*$/, () => `stratum("init",${JSON.stringify(init)});`)
}

/**
 * The config of the test page an event was sent from, read back from its URL.
 *
 * @example
 * configOfPageUrl(event.context.page.url)?.testId
 */
export function configOfPageUrl(url: string): PageConfig | undefined {
  const segment = /\/t\/([\w-]+)\//.exec(url)?.[1]
  try {
    return segment ? decodeConfig(segment) : undefined
  } catch {
    return undefined
  }
}

function decodeConfig(segment: string): PageConfig {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
}

/** Forwards `/collect/*` to the collector's `/api/v1/cdp/*`: a first-party endpoint on a custom path. */
async function proxy(req: IncomingMessage, res: ServerResponse, collector: string) {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const target = collector + req.url!.replace(/^\/collect\//, '/api/v1/cdp/')
  const headers: Record<string, string> = { 'content-type': req.headers['content-type'] ?? 'text/plain' }
  if (req.headers.origin) headers.origin = req.headers.origin
  const answer = await fetch(target, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined })
  res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' })
  res.end(Buffer.from(await answer.arrayBuffer()))
}

/**
 * The test shop: pages built from their URL's config, the built pixel files
 * from `pixel/dist`, `/app.js` (the page's own calls, a same-origin script
 * that a strict CSP allows), `/blank` (a page without the pixel) and a
 * first-party proxy to the collector under `/collect/`.
 *
 * @example
 * const site = await startSiteServer(() => ({ sourceKey, endpoint: collector.url }))
 * await page.goto(`http://www.shop.stratum.test:${site.port}/blank`)
 */
export async function startSiteServer(
  defaultsOf: () => { sourceKey: string; endpoint: string },
): Promise<{ server: Server; port: number }> {
  snippetSource = await readFile(SNIPPET, 'utf8')
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://site')
      const defaults = defaultsOf()
      // `no-cache`, not `no-store`: a no-store page is never put in the back/forward cache.
      const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': type, 'cache-control': 'no-cache', ...headers })
        res.end(body)
      }
      if (url.pathname.startsWith('/collect/')) return await proxy(req, res, defaults.endpoint)
      const file = /^\/(stratum(?:-identity|-device)?\.min\.js)$/.exec(url.pathname)?.[1]
      if (file) return send(200, 'text/javascript', await readFile(DIST + file))
      if (url.pathname === '/app.js') {
        const calls = decodeConfig(url.searchParams.get('c') ?? '').calls ?? []
        return send(200, 'text/javascript', calls.map((args) => `stratum(...${JSON.stringify(args)});`).join('\n'))
      }
      if (url.pathname === '/blank') return send(200, 'text/html', '<!doctype html><title>blank</title><p>blank</p>')
      const match = /^\/t\/([\w-]+)\//.exec(url.pathname)
      if (!match) return send(404, 'text/plain', 'not found')
      const config = decodeConfig(match[1]!)
      const csp: Record<string, string> = config.csp
        ? { 'content-security-policy': `default-src 'none'; script-src 'self'; connect-src ${defaults.endpoint}` }
        : {}
      send(200, 'text/html', pageHtml(config, defaults, match[1]!), csp)
    } catch (error) {
      res.writeHead(500)
      res.end(String(error))
    }
  })
  return { server, port: await listen(server) }
}
