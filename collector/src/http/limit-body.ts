import { createMiddleware } from 'hono/factory'
import { StratumError } from '../errors'
import type { AppEnv } from './app-env'

/**
 * Caps a request body at `maxBytes` with a 413 in the API's error shape (README, "Errors").
 *
 * Unlike Hono's `bodyLimit`, which trusts a `Content-Length` header when
 * present, this counts the bytes actually read: a header that understates the
 * body (possible wherever the runtime does not enforce it) cannot smuggle an
 * oversized batch past the limit. A declared length over the limit is refused
 * before anything is read. The body is buffered (it is bounded) and handed on
 * as a fresh `Request`, so handlers read it as usual.
 *
 * @example
 * app.post('/events', limitBody(512 * 1024), handler)
 */
export function limitBody(maxBytes: number) {
  const tooLarge = () => new StratumError(413, 'payload_too_large', `The body is larger than ${maxBytes} bytes`)
  return createMiddleware<AppEnv>(async (c, next) => {
    const body = c.req.raw.body
    if (!body) return next()
    const declared = Number(c.req.header('content-length'))
    if (declared > maxBytes) throw tooLarge()
    const buffer = await readUpTo(body, maxBytes)
    if (!buffer) throw tooLarge()
    const headers = new Headers(c.req.raw.headers)
    headers.set('content-length', String(buffer.byteLength))
    c.req.raw = new Request(c.req.raw, { body: buffer, headers })
    await next()
  })
}

/**
 * Reads a body stream whole, counting the bytes actually read, or resolves
 * `undefined` (and stops reading) as soon as it passes `maxBytes`.
 *
 * @example
 * const bytes = await readUpTo(request.body, 32 * 1024)
 * if (!bytes) throw new StratumError(413, 'payload_too_large', '…')
 */
export async function readUpTo(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => {})
      return undefined
    }
    chunks.push(value)
  }
  const buffer = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    buffer.set(chunk, offset)
    offset += chunk.byteLength
  }
  return buffer
}
