/**
 * T's share of the 100 EMQ points.
 *
 * @example
 * T_MAX // 20
 */
export const T_MAX = 20

/**
 * Lag tolerated in either direction at full score: normal client clock drift
 * and batching/queueing delays (the pixel flushes every 2 s, retries with backoff).
 *
 * @example
 * T_GRACE_SECONDS // 300
 */
export const T_GRACE_SECONDS = 300

/**
 * Oldest event that still earns points: ad platforms stop attributing
 * conversions sent more than 7 days after they happened.
 *
 * @example
 * T_MAX_LAG_SECONDS // 604800
 */
export const T_MAX_LAG_SECONDS = 7 * 86_400

/**
 * Knots of the decay curve `[lag seconds, points]`; T is linear in ln(lag)
 * between them, because value decays per order of magnitude of delay (a minute
 * late vs an hour late matters as much as an hour vs a day).
 *
 * @example
 * T_CURVE[1] // [3600, 16]
 */
export const T_CURVE: readonly (readonly [seconds: number, points: number])[] = [
  [T_GRACE_SECONDS, T_MAX],
  [3_600, 16],
  [86_400, 10],
  [T_MAX_LAG_SECONDS, 4],
]

// ln of each knot, computed once rather than per event.
const LN_KNOTS = T_CURVE.map(([seconds]) => Math.log(seconds))

/**
 * lag = received_at − event_time, in seconds (negative: event "in the future").
 *
 * @example
 * lagSeconds(new Date('2026-01-13T15:00:00Z'), new Date('2026-01-13T15:30:00Z')) // 1800
 */
export function lagSeconds(eventTime: Date, receivedAt: Date): number {
  return (receivedAt.getTime() - eventTime.getTime()) / 1000
}

/**
 * Whether the event claims to have happened more than 5 minutes after we
 * received it — the clock that produced it is wrong even after correction.
 *
 * @example
 * isClockSkew(-301) // true
 * isClockSkew(-300) // false
 */
export function isClockSkew(lag: number): boolean {
  return lag < -T_GRACE_SECONDS
}

/**
 * T: 20 within ±300 s, 0 beyond 5 min in the future (clock skew) or 7 days in
 * the past, else interpolated linearly in ln(lag) through
 * (300 s, 20), (1 h, 16), (24 h, 10), (7 d, 4). A non-finite lag (invalid date) is 0.
 *
 * @example
 * scoreTimeliness(1800)   // 17.116…
 * scoreTimeliness(21600)  // 12.617…
 * scoreTimeliness(259200) // 6.613…
 */
export function scoreTimeliness(lag: number): number {
  if (!Number.isFinite(lag)) return 0
  if (Math.abs(lag) <= T_GRACE_SECONDS) return T_MAX
  if (lag < 0 || lag > T_MAX_LAG_SECONDS) return 0
  const x = Math.log(lag)
  for (let i = 1; i < T_CURVE.length; i++) {
    const x1 = LN_KNOTS[i]!
    if (x <= x1) {
      const x0 = LN_KNOTS[i - 1]!
      const y0 = T_CURVE[i - 1]![1]
      const y1 = T_CURVE[i]![1]
      return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0)
    }
  }
  return 0 // unreachable: lag ≤ T_MAX_LAG_SECONDS, the last knot
}
