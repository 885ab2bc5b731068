/**
 * `now` minus `months` calendar months (UTC), the same arithmetic ingest
 * uses for its "too old" cut-off, so retention never deletes what ingest
 * still accepts.
 *
 * @example
 * monthsBefore(new Date('2026-03-15T00:00:00Z'), 13) // 2025-02-15T00:00:00.000Z
 */
export function monthsBefore(now: Date, months: number): Date {
  const cutoff = new Date(now)
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months)
  return cutoff
}
