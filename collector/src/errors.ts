import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** One entry of an error's `details`: where the problem is and what it is. */
export interface ErrorDetail {
  path?: string
  code?: string
  message: string
  index?: number
}

/**
 * The one exception the collector throws on purpose. The app's error handler
 * turns it into the API's error body `{"error": {code, message, details}}`
 * with `status`; anything else becomes an opaque 500 so that no stack trace or
 * SQL text ever reaches a client.
 *
 * @example
 * throw new StratumError(403, 'forbidden_origin', 'Origin is not allowed for this source')
 */
export class StratumError extends Error {
  override readonly name = 'StratumError'

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Extra response headers, e.g. `Retry-After` on 429/503. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }

  /** The JSON body every error response carries. */
  toBody() {
    return { error: { code: this.code, message: this.message, details: this.details } }
  }
}
