import { createServer, type Server } from 'node:http'
import { listen } from './listen'

/** One request that reached the collector through the proxy. */
export interface ReceivedRequest {
  /** Position in the log, to read only what came after a point. */
  seq: number
  at: number
  method: string
  path: string
  contentType: string
  bytes: number
  body: string
  status: number
  response: string
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive'])

/**
 * A transparent reverse proxy in front of the collector that logs every
 * request. The pages send to it as they would to the collector (cross-origin,
 * CORS headers passed through), so the suite sees what the browser really
 * sent — including keepalive fetches and beacons fired while a page unloads,
 * which Playwright's request events miss. `GET /__e2e/log?after=<seq>` returns
 * the log.
 *
 * @example
 * const proxy = await startRecordingProxy(collector.url)
 * fetch(`${proxy.url}/__e2e/log`)
 */
export async function startRecordingProxy(collectorUrl: string): Promise<{ server: Server; url: string }> {
  const log: ReceivedRequest[] = []
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy')
    if (url.pathname === '/__e2e/log') {
      const after = Number(url.searchParams.get('after') ?? -1)
      res.writeHead(200, { 'content-type': 'application/json' })
      return res.end(JSON.stringify(log.filter((entry) => entry.seq > after)))
    }
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(req.headers)) {
      if (!HOP_BY_HOP.has(name) && typeof value === 'string') headers[name] = value
    }
    try {
      const answer = await fetch(collectorUrl + (req.url ?? '/'), {
        method: req.method,
        headers,
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
      })
      const response = Buffer.from(await answer.arrayBuffer())
      const out: Record<string, string> = {}
      answer.headers.forEach((value, name) => {
        if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') out[name] = value
      })
      if (req.method === 'POST') {
        log.push({
          seq: log.length,
          at: Date.now(),
          method: req.method,
          path: req.url ?? '/',
          contentType: req.headers['content-type'] ?? '',
          bytes: body.length,
          body: body.toString('utf8'),
          status: answer.status,
          response: response.toString('utf8'),
        })
      }
      res.writeHead(answer.status, out)
      res.end(response)
    } catch {
      // The collector is down: answer like a dead upstream would.
      res.writeHead(502)
      res.end()
    }
  })
  return { server, url: `http://127.0.0.1:${await listen(server)}` }
}
