import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { StratumError } from './errors'
import { PIXEL_FILES, readPixelFile } from './http/pixel-files'

// The same two levels up from `collector/src/demo-site.ts` and from the bundled `collector/dist/cli.js`.
const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url))
const WEBSITE = join(REPOSITORY, 'examples', 'website')
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
}

/** The demo shop's server. */
export interface DemoSite {
  url: string
  close(): Promise<void>
}

/**
 * The demo shop's port: `STRATUM_DEMO_PORT`, else the collector's port + 1,
 * so that the shop is another origin than the API, as in real life. A
 * collector on an OS-chosen port (0) gets an OS-chosen shop port.
 *
 * @example
 * demoSitePort(process.env, 8787) // 8788 unless STRATUM_DEMO_PORT says otherwise
 */
export function demoSitePort(env: Record<string, string | undefined>, collectorPort: number): number {
  const raw = env.STRATUM_DEMO_PORT?.trim()
  if (!raw) return collectorPort === 0 ? 0 : collectorPort + 1
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new StratumError(500, 'invalid_config', 'Invalid configuration:\n  STRATUM_DEMO_PORT: must be a whole number from 0 to 65535')
  }
  return port
}

/**
 * Serves the script-tag example (`examples/website`), the built pixel
 * (`pixel/dist/stratum*.min.js`) and `/stratum-config.js`, which tells the
 * pages the demo source key and where the collector listens. The collector's
 * host is taken from the shop's own address as the browser used it, so the
 * shop works at `localhost`, `127.0.0.1` or a LAN address alike.
 *
 * @example
 * const site = await startDemoSite({ port: 8788, host: '0.0.0.0', sourceKey, collectorUrl: 'http://localhost:8787' })
 * console.log(site.url) // http://localhost:8788
 */
export async function startDemoSite(options: {
  port: number
  host: string
  sourceKey: string
  collectorUrl: string
}): Promise<DemoSite> {
  if (!existsSync(WEBSITE)) throw new Error(`${WEBSITE} is missing (the demo shop runs from a clone of the repository)`)
  const server = createServer((req, res) => {
    respond(req, options).then(
      ({ status, type, body }) => {
        res.writeHead(status, { 'content-type': type, 'cache-control': 'no-cache' })
        res.end(body)
      },
      () => {
        res.writeHead(500, { 'content-type': 'text/plain' })
        res.end('demo shop error')
      },
    )
  })
  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${options.port} is in use (STRATUM_DEMO_PORT picks another)`) : error)
    server.once('error', fail)
    server.listen(options.port, options.host, () => {
      server.off('error', fail)
      resolve()
    })
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  return {
    url: `http://${options.host === '0.0.0.0' ? 'localhost' : options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

interface Answer {
  status: number
  type: string
  body: string | Buffer
}

async function respond(req: IncomingMessage, options: { sourceKey: string; collectorUrl: string }): Promise<Answer> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'method not allowed')
  const path = decodedPath(req.url)
  if (path === undefined) return text(400, 'bad request')
  if (path === '/stratum-config.js') return config(req, options)
  const name = path.slice(1)
  if (PIXEL_FILES.has(name)) {
    const script = await readPixelFile(name).catch(() => undefined)
    return script ? { status: 200, type: CONTENT_TYPES['.js']!, body: script } : text(404, 'the pixel is not built (pnpm -r build)')
  }
  // normalize() resolves `..`; anything that still leaves the website folder is refused.
  const file = normalize(join(WEBSITE, path === '/' ? 'index.html' : path))
  if (!file.startsWith(WEBSITE + sep) || !CONTENT_TYPES[extname(file)] || !existsSync(file)) return text(404, 'not found')
  return fileAnswer(file)
}

/** `window.STRATUM_CONFIG` for the pages' `stratum('init', …)`: the demo source and the collector seen from this browser. */
function config(req: IncomingMessage, options: { sourceKey: string; collectorUrl: string }): Answer {
  const endpoint = new URL(options.collectorUrl)
  endpoint.hostname = hostnameOf(req.headers.host) ?? endpoint.hostname
  const value = { sourceKey: options.sourceKey, endpoint: endpoint.origin }
  return {
    status: 200,
    type: CONTENT_TYPES['.js']!,
    body: `// Generated by the collector's demo site: the demo source key and the collector's address.\nwindow.STRATUM_CONFIG = ${JSON.stringify(value)};\n`,
  }
}

/** The request's path, percent-decoded; `undefined` when it does not decode. */
function decodedPath(url: string | undefined): string | undefined {
  try {
    return decodeURIComponent(new URL(url ?? '/', 'http://shop').pathname)
  } catch {
    return undefined
  }
}

/** The hostname of a `Host` header, or `undefined` when it is missing or not a plain host. */
function hostnameOf(host: string | undefined): string | undefined {
  try {
    return host ? new URL(`http://${host}`).hostname : undefined
  } catch {
    return undefined
  }
}

async function fileAnswer(file: string): Promise<Answer> {
  return { status: 200, type: CONTENT_TYPES[extname(file)]!, body: await readFile(file) }
}

function text(status: number, body: string): Answer {
  return { status, type: 'text/plain; charset=utf-8', body }
}
