import { type Agent, request } from 'node:http'
import type { Socket } from 'node:net'

/** A response read through `node:http`, with the socket it came on. */
export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
  socket: Socket
}

/**
 * Sends one request through `node:http` and the given agent, so that tests
 * can see what a keep-alive client sees: the `Connection` header and which
 * socket carried the answer. Resolves with the response even when the server
 * closes the connection while the body is still being sent.
 *
 * @example
 * const agent = new Agent({ keepAlive: true, maxSockets: 1 })
 * const res = await send(agent, `${url}/livez`)
 */
export function send(
  agent: Agent,
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let answered = false
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent }, (res) => {
      answered = true
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        body += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, socket: req.socket! }))
    })
    // Writing the rest of a refused body into a closed socket fails after the answer came: not the test's concern.
    req.on('error', (error) => {
      if (!answered) reject(error)
    })
    req.end(options.body)
  })
}
