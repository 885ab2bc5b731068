/** p50, p95 and p99 of a set of durations, in milliseconds. */
export interface Percentiles {
  count: number
  p50: number
  p95: number
  p99: number
  max: number
}

/**
 * Nearest-rank percentiles (no interpolation: every figure is a latency that
 * was actually observed). Empty input gives zeros with `count: 0`.
 *
 * @example
 * percentiles([12, 15, 11, 90]) // { count: 4, p50: 12, p95: 90, p99: 90, max: 90 }
 */
export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0 }
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!)
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: round(sorted[sorted.length - 1]!) }
}

/**
 * One decimal: enough for milliseconds, short in a table and in JSON.
 *
 * @example
 * round(12.345) // 12.3
 */
export function round(value: number): number {
  return Math.round(value * 10) / 10
}
