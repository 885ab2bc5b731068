/**
 * The span of some events' times, as bounds for a statement on `events`:
 * they let PostgreSQL skip the monthly partitions that cannot hold them.
 *
 * @example
 * const { from, to } = timeSpan(events.map((e) => e.eventTime))
 * // WHERE event_time BETWEEN ${from}::timestamptz AND ${to}::timestamptz
 */
export function timeSpan(times: readonly Date[]): { from: string; to: string } {
  const ms = times.map((t) => t.getTime())
  return { from: new Date(Math.min(...ms)).toISOString(), to: new Date(Math.max(...ms)).toISOString() }
}
