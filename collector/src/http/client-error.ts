import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import { StratumError } from '../errors'

/** Node's parser and timeout errors, by what the client is told. */
const ANSWERS: Record<string, () => StratumError> = {
  HPE_HEADER_OVERFLOW: () => new StratumError(431, 'headers_too_large', 'The request headers are too large'),
  HPE_CHUNK_EXTENSIONS_OVERFLOW: () => new StratumError(413, 'payload_too_large', 'The chunk extensions are too large'),
  ERR_HTTP_REQUEST_TIMEOUT: () => new StratumError(408, 'request_timeout', 'The request took too long to arrive'),
}
/**
 * How long a refused client may keep its half of the connection open to read
 * the answer. Closing at once, with its unsent bytes still arriving, could
 * reset the connection before the client has read the answer.
 */
const LINGER_MS = 2_000

const badRequest = () => new StratumError(400, 'bad_request', 'The request is not valid HTTP/1.1')

/** A socket as Node's HTTP server hands it over, with the response in flight on it, if any. */
type ClientSocket = Duplex & { _httpMessage?: { headersSent?: boolean } | null }

/**
 * Answers what Node's HTTP server refuses before the app sees a request —
 * headers too large (431), a malformed request (400), a request too slow to
 * arrive (408) — in the collector's error shape instead of Node's empty
 * body, then closes the connection: the parser has lost its place in the
 * byte stream. Like Node's default, it writes nothing when the client reset
 * the connection or a response has already begun on it. For the server's
 * `clientError` event.
 *
 * @example
 * server.on('clientError', answerClientError)
 */
export function answerClientError(error: Error & { code?: string }, socket: ClientSocket): void {
  if (error.code === 'ECONNRESET' || !socket.writable || socket._httpMessage?.headersSent) {
    socket.destroy()
    return
  }
  const answer = (error.code && ANSWERS[error.code]?.()) || badRequest()
  const body = JSON.stringify(answer.toBody())
  socket.end(
    [
      `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
      '',
      body,
    ].join('\r\n'),
  )
  setTimeout(() => socket.destroy(), LINGER_MS).unref()
}
