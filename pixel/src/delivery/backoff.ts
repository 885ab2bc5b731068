const BASE_MS = 1000
const CAP_MS = 60_000

/**
 * Delay before retry number `attempt` (1-based): exponential from 1 s, capped
 * at 60 s, with "equal jitter" — a random point in the upper half of the
 * window — so a fleet of browsers that failed together does not retry in
 * lock-step, while every retry still waits at least half the window.
 *
 * @example
 * backoffDelay(1) // 500…1000
 * backoffDelay(3) // 2000…4000
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const window = Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attempt - 1))
  return Math.round(window / 2 + (random() * window) / 2)
}

/**
 * Milliseconds a `Retry-After` header asks to wait (delta-seconds or an HTTP
 * date), or `undefined` when absent or unreadable.
 *
 * @example
 * parseRetryAfter('7', Date.now()) // 7000
 * parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', Date.now())
 */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined
  const ms = /^\s*\d+\s*$/.test(header) ? Number(header) * 1000 : Date.parse(header) - now
  return Number.isNaN(ms) ? undefined : Math.max(0, ms)
}

/**
 * The wait before the next retry: what the server asked for when it said, but
 * never less than the jittered backoff, so a server answering `Retry-After: 0`
 * in a loop still gets exponential relief.
 *
 * @example
 * retryDelay(2, 30_000) // 30000
 */
export function retryDelay(attempt: number, retryAfterMs?: number, random?: () => number): number {
  return Math.max(retryAfterMs || 0, backoffDelay(attempt, random))
}
