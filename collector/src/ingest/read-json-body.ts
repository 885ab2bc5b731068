import { StratumError } from '../errors'

const ACCEPTED_TYPES = new Set(['application/json', 'text/plain'])
const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Reads a JSON request body sent as `application/json` or, for CORS-simple
 * beacons, as `text/plain`. Invalid UTF-8 and invalid JSON are 400s, any
 * other content type a 415. The size limit is enforced before this runs.
 *
 * @example
 * const body = await readJsonBody(c.req.raw)
 */
export async function readJsonBody(request: Request): Promise<unknown> {
  const [mediaType = '', ...params] = (request.headers.get('content-type') ?? '').split(';')
  const type = mediaType.trim().toLowerCase()
  if (!ACCEPTED_TYPES.has(type)) {
    throw new StratumError(415, 'unsupported_media_type', 'Send application/json, or text/plain carrying JSON')
  }
  const charset = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('charset='))
  if (charset && charset !== 'charset=utf-8' && charset !== 'charset="utf-8"') {
    throw new StratumError(415, 'unsupported_charset', 'The body must be UTF-8')
  }
  let text: string
  try {
    text = utf8.decode(await request.arrayBuffer())
  } catch {
    throw new StratumError(400, 'invalid_utf8', 'The body is not valid UTF-8')
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new StratumError(400, 'invalid_json', describeJsonError(text, error as Error))
  }
}

/**
 * Says where a body stops being JSON without quoting any of it: V8's own
 * messages may carry a piece of the body (`Unexpected token 'j', "jane@…" is
 * not valid JSON`), which must not travel back, and into logs, with the error.
 */
function describeJsonError(text: string, error: Error): string {
  if (text.trim() === '') return 'The body is empty; send JSON'
  const position = /at position (\d+)/.exec(error.message)?.[1]
  if (position) return `The body is not valid JSON (at offset ${position})`
  if (/end of JSON input/.test(error.message)) return 'The body is not valid JSON (it ends too early)'
  return 'The body is not valid JSON'
}
