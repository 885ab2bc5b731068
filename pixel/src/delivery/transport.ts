import { parseRetryAfter } from './backoff'

/**
 * What came back from one POST: `status` 0 means the network failed.
 *
 * @example
 * const { status, retryAfterMs } = await postText(url, body, true)
 */
export interface PostResult {
  status: number
  retryAfterMs?: number
  json?: unknown
}

/** A request that has not answered within this long is treated as a network failure and retried. */
const TIMEOUT_MS = 20_000

/**
 * The collector URL with the source key in the query string. The pixel
 * authenticates by `?source_key=` rather than the `X-Source-Key` header on
 * every request, fetch and beacon alike: a custom header would make each
 * request CORS-preflighted (an extra round trip, and fragile inside
 * `pagehide`), while a `text/plain` POST with no custom header is a simple
 * request. The key is public by design, so the query string leaks nothing.
 *
 * @example
 * collectorUrl('https://c.example', '/api/v1/cdp/events', 'sk_1') // 'https://c.example/api/v1/cdp/events?source_key=sk_1'
 */
export function collectorUrl(endpoint: string, path: string, sourceKey: string): string {
  const url = endpoint.replace(/\/+$/, '') + path
  return `${url}${url.includes('?') ? '&' : '?'}source_key=${encodeURIComponent(sourceKey)}`
}

/**
 * POSTs a JSON string as `text/plain` (the collector parses it; the content
 * type keeps the request CORS-simple). `keepalive` lets the request outlive
 * the page, within the browser's 64 KiB in-flight budget. Never rejects.
 *
 * @example
 * const { status, json } = await postText(url, JSON.stringify(batch), true)
 */
export async function postText(url: string, body: string, keepalive: boolean): Promise<PostResult> {
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS)
  try {
    const response = await fetch(url, { method: 'POST', body, keepalive, credentials: 'omit', signal: abort.signal })
    return {
      status: response.status,
      retryAfterMs: parseRetryAfter(response.headers.get('Retry-After'), Date.now()),
      json: await response.json().catch(() => undefined),
    }
  } catch {
    return { status: 0 }
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Hands a `text/plain` body to `navigator.sendBeacon`, which delivers it even
 * after the page is gone; `false` when the browser refused it (no API, over
 * its quota).
 *
 * @example
 * sendBeaconText(url, body) // true
 */
export function sendBeaconText(url: string, body: string): boolean {
  try {
    return navigator.sendBeacon(url, body)
  } catch {
    return false
  }
}

/**
 * Whether a failed request should be sent again later: network failures,
 * 408, 429 and 5xx. Any other 4xx means the batch itself is wrong and would
 * fail forever, so it is dropped.
 *
 * @example
 * isRetryable(503) // true
 * isRetryable(400) // false
 */
export function isRetryable(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500
}

/**
 * Whether a 5xx says the collector failed on this very request (500, or a
 * 5xx above 504), which a poison event in the batch can cause, rather than
 * that it is unavailable (502, 503, 504: a gateway or the collector's storage
 * is down), which says nothing about the batch. Only the former splits a
 * batch (see `batch-caps.ts`).
 *
 * @example
 * blamesBatch(500) // true
 * blamesBatch(503) // false
 */
export function blamesBatch(status: number): boolean {
  return status === 500 || status > 504
}
