import { promisify } from 'node:util'
import { brotliDecompress, gunzip, inflate } from 'node:zlib'
import { StratumError } from '../errors'
import { readUpTo } from '../http/limit-body'

const DECODERS = { gzip: promisify(gunzip), 'x-gzip': promisify(gunzip), deflate: promisify(inflate), br: promisify(brotliDecompress) }
type Encoding = keyof typeof DECODERS
const isEncoding = (name: string): name is Encoding => Object.hasOwn(DECODERS, name)

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Reads the JSON body of a Segment call as Segment's API does: whatever its
 * content type (analytics.js sends `text/plain`, RudderStack's Node SDK a
 * gzip buffer), compressed with `Content-Encoding: gzip`, `deflate` or `br`
 * or not at all, at most `maxBytes` once decompressed (32 KB per call,
 * 500 KB per batch: `collector/docs/segment.md`). Too large is a 400, as
 * Segment answers it; the decompression stops at the limit, so a small bomb
 * cannot inflate into memory.
 *
 * @example
 * const body = await readSegmentBody(c.req.raw, 500 * 1024)
 */
export async function readSegmentBody(request: Request, maxBytes: number): Promise<unknown> {
  const tooLarge = new StratumError(400, 'payload_too_large', `The body is larger than ${maxBytes / 1024} KB, Segment's limit for this call`)
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase()
  if (encoding !== 'identity' && !isEncoding(encoding)) {
    throw new StratumError(415, 'unsupported_encoding', 'Content-Encoding must be gzip, deflate, br or none')
  }
  if (!request.body) throw new StratumError(400, 'invalid_json', 'The body is empty; send JSON')
  if (Number(request.headers.get('content-length')) > maxBytes) throw tooLarge
  const raw = await readUpTo(request.body, maxBytes)
  if (!raw) throw tooLarge
  let bytes: Uint8Array = raw
  if (encoding !== 'identity') {
    try {
      bytes = await DECODERS[encoding](raw, { maxOutputLength: maxBytes })
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge
      throw new StratumError(400, 'invalid_encoding', `The body is not valid ${encoding} data`)
    }
  }
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    throw new StratumError(400, 'invalid_utf8', 'The body is not valid UTF-8')
  }
  try {
    return JSON.parse(text)
  } catch {
    // Never quote the body: it may hold personal data (`collector/docs/limits.md`).
    throw new StratumError(400, 'invalid_json', text.trim() === '' ? 'The body is empty; send JSON' : 'Invalid JSON: the body is not valid JSON')
  }
}
