import type { IncomingHttpHeaders } from 'node:http'

/**
 * Adds `Connection: close` to a response sent while the request's body was
 * left unread: a 413 refused on its declared length, an error thrown before
 * the handler read the body (a bad key, a wrong content type). The unread
 * bytes are still on their way and the server gives up draining them, so a
 * keep-alive client reusing the connection would see its next request fail
 * with "socket hang up"; told to close, it opens a new one. A request read to
 * its end keeps the connection.
 *
 * @example
 * serve({ fetch: async (req, env) => closeIfBodyUnread(await app.fetch(req, env), env.incoming) })
 */
export function closeIfBodyUnread(response: Response, incoming: { headers: IncomingHttpHeaders; readableEnded: boolean }): Response {
  const { headers } = incoming
  const hasBody = Number(headers['content-length']) > 0 || headers['transfer-encoding'] !== undefined
  if (!hasBody || incoming.readableEnded) return response
  const closing = new Headers(response.headers)
  closing.set('connection', 'close')
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers: closing })
}
