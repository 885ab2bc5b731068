import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { StratumError } from '../errors'
import type { AppEnv } from './app-env'
import { routePattern } from './route-pattern'
import { isStorageBusy, isStorageUnavailable, STORAGE_RETRY_AFTER_SECONDS } from './storage-unavailable'

/**
 * The app's one error handler: every error leaves in the API's error shape.
 * `StratumError` keeps its status; a storage outage, or storage out of a
 * resource (SQLSTATE class 53), is a 503 with `Retry-After`; anything else is logged and answered as an opaque 500, so
 * no stack trace or SQL text reaches a client.
 *
 * @example
 * app.onError(handleError)
 */
export function handleError(error: Error, c: Context<AppEnv>) {
  const known = toStratumError(error)
  if (known.status >= 500) {
    c.get('services')?.log.error('request_failed', {
      path: routePattern(c),
      error: error.name,
      code: (error as { code?: string }).code,
      detail: known.status === 503 ? undefined : error.message.slice(0, 300),
    })
  }
  return c.json(known.toBody(), known.status, known.headers)
}

function toStratumError(error: Error): StratumError {
  if (error instanceof StratumError) return error
  const retryLater = { 'Retry-After': String(STORAGE_RETRY_AFTER_SECONDS) }
  if (isStorageBusy(error)) return new StratumError(503, 'storage_busy', 'Storage is out of resources; retry later', [], retryLater)
  if (isStorageUnavailable(error)) return new StratumError(503, 'storage_unavailable', 'Storage is unavailable; retry later', [], retryLater)
  if (error instanceof HTTPException) {
    // Hono's validator speaks in HTTPExceptions: give them the API's codes.
    // zod-openapi's media-type gate throws a bare 415; older validators a 400 about the header.
    if (error.status === 415 || error.message.startsWith('Invalid HTTP header: Content-Type')) {
      return new StratumError(415, 'unsupported_media_type', 'Send application/json')
    }
    if (error.status === 413) return new StratumError(413, 'payload_too_large', 'The body is too large')
    if (/malformed json/i.test(error.message)) return new StratumError(400, 'invalid_json', 'The body is not valid JSON')
    return new StratumError(error.status, 'http_error', error.message || 'Request failed')
  }
  return new StratumError(500, 'internal_error', 'Internal error')
}
