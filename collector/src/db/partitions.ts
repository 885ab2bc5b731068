import { type Kysely, sql } from 'kysely'
import type { Database } from './schema'

/** Advisory lock key that serialises partition DDL across collector processes. */
const PARTITION_LOCK = 727_001

/** `events_2026_01` for January 2026: one partition per calendar month (UTC). */
export function partitionName(year: number, month: number): string {
  return `events_${year}_${String(month + 1).padStart(2, '0')}`
}

/** UTC month starts from `monthsBack` before `now` to `monthsAhead` after it, inclusive. */
export function monthStarts(now: Date, monthsBack: number, monthsAhead: number): Date[] {
  const months: Date[] = []
  for (let offset = -monthsBack; offset <= monthsAhead; offset++) {
    months.push(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)))
  }
  return months
}

/**
 * Creates the monthly partitions of `events` that the accepted time range can
 * reach: back to the retention window, and ahead so that a quiet month never
 * finds its partition missing. Idempotent; run at start and daily.
 *
 * @example
 * await ensureEventPartitions(db, { monthsBack: 13, monthsAhead: 2 })
 */
export async function ensureEventPartitions(
  db: Kysely<Database>,
  options: { monthsBack: number; monthsAhead: number; now?: Date },
): Promise<void> {
  const months = monthStarts(options.now ?? new Date(), options.monthsBack, options.monthsAhead)
  await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${PARTITION_LOCK})`.execute(trx)
    for (const start of months) {
      const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1))
      const name = partitionName(start.getUTCFullYear(), start.getUTCMonth())
      await sql`
        CREATE TABLE IF NOT EXISTS ${sql.table(name)} PARTITION OF events
        FOR VALUES FROM (${sql.lit(start.toISOString())}) TO (${sql.lit(end.toISOString())})
      `.execute(trx)
    }
  })
}
