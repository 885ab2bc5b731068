/**
 * A UTF-16 code unit of a surrogate pair without its other half: the first
 * half of an emoji whose second half a client cut off (`"Sale 😀".slice(0, 6)`).
 * No `u` flag, so the pattern sees code units, not code points.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/**
 * Why PostgreSQL cannot store a string as it is, or `null` when it can.
 * PostgreSQL's `text` and `jsonb` refuse the NUL character outright, and a
 * lone surrogate has no UTF-8 encoding: the driver would replace it with
 * U+FFFD, silently changing the value, or `jsonb` would refuse its `\ud83d`
 * escape. Every string from a client is checked with this before it is
 * stored or used in a query (`collector/docs/limits.md`).
 *
 * @example
 * unstorableReason('Sale 😀') // null
 * unstorableReason('Sale \ud83d') // 'a lone UTF-16 surrogate (a character cut in half)'
 * unstorableReason('a\u0000b') // 'a NUL character'
 */
export function unstorableReason(value: string): string | null {
  if (value.includes('\u0000')) return 'a NUL character'
  if (LONE_SURROGATE.test(value)) return 'a lone UTF-16 surrogate (a character cut in half)'
  return null
}

/**
 * The instants the API takes from clients (`sent_at`, `event_time`, journey
 * cursors): from 1970 to 2099. A device whose clock was reset still sends a
 * time inside it; anything outside is a broken or hostile client. Inside
 * these bounds the clock-skew correction can never move an event beyond
 * what PostgreSQL and the monthly partitions hold
 * (`collector/docs/limits.md`).
 */
export const TIME_BOUNDS = { from: '1970-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' } as const

const FROM_MS = Date.parse(TIME_BOUNDS.from)
const TO_MS = Date.parse(TIME_BOUNDS.to)

/**
 * Whether an instant (milliseconds since the epoch) lies within `TIME_BOUNDS`.
 *
 * @example
 * isWithinTimeBounds(Date.parse('2026-01-13T15:30:00Z')) // true
 * isWithinTimeBounds(Date.parse('0000-01-01T00:00:00Z')) // false
 */
export function isWithinTimeBounds(ms: number): boolean {
  return ms >= FROM_MS && ms < TO_MS
}
