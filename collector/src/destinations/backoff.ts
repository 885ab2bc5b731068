/** The first retry waits about this long; each later one twice as long. */
const BASE_DELAY_MS = 5_000
/** No retry waits longer than this, unless the platform asks for it. */
const MAX_DELAY_MS = 60 * 60_000

/**
 * How long to wait before attempt `attempts + 1`: exponential backoff with
 * "equal jitter" (half fixed, half random), so that deliveries that failed
 * together do not retry together, and never sooner than the platform's
 * `Retry-After`.
 *
 * @example
 * retryDelayMs(1)            // 2.5–5 s
 * retryDelayMs(3)            // 10–20 s
 * retryDelayMs(1, 120_000)   // 120 s: Retry-After wins
 */
export function retryDelayMs(attempts: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1))
  const jittered = ceiling / 2 + random() * (ceiling / 2)
  return Math.max(jittered, retryAfterMs ?? 0)
}

/**
 * A `Retry-After` header in milliseconds: delta-seconds or an HTTP date
 * (RFC 9110 §10.2.3); undefined when absent or unreadable. Capped at a day.
 *
 * @example
 * parseRetryAfter('120', new Date()) // 120000
 * parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', now) // ms until then
 */
export function parseRetryAfter(header: string | null | undefined, now: Date): number | undefined {
  if (!header) return undefined
  const value = header.trim()
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now.getTime()
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), 86_400_000) : undefined
}
