import { type Kysely, sql } from 'kysely'
import { deletePartitionKeys } from './delete-partition-keys'
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

/**
 * Enforces retention by dropping whole monthly partitions that end before the
 * retention window starts (`now` minus `retentionMonths`, the same cut-off
 * ingest uses to refuse old events). The idempotency keys of their events go
 * first, `batchSize` events a statement (`delete-partition-keys.ts`), so that the
 * transaction that drops them, which locks `events`, only drops. Cheap
 * however many events expire: no row-by-row DELETE on `events`. Run at
 * start and daily.
 *
 * @example
 * await dropExpiredPartitions(db, { retentionMonths: 13, batchSize: 5000 }) // { dropped: ['events_2025_09'], keysDeleted: 41210 }
 */
export async function dropExpiredPartitions(
  db: Kysely<Database>,
  options: { retentionMonths: number; now?: Date; batchSize: number },
): Promise<{ dropped: string[]; keysDeleted: number }> {
  const cutoff = new Date(options.now ?? new Date())
  cutoff.setUTCMonth(cutoff.getUTCMonth() - options.retentionMonths)
  let keysDeleted = 0
  // A replay of an expired event is refused as too old, so its key is dead weight.
  for (const name of await expiredPartitions(db, cutoff)) {
    keysDeleted += await deletePartitionKeys(db, name, options.batchSize)
  }
  const dropped = await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${PARTITION_LOCK})`.execute(trx)
    const names = await expiredPartitions(trx, cutoff)
    for (const name of names) await sql`DROP TABLE ${sql.table(name)}`.execute(trx)
    return names
  })
  return { dropped, keysDeleted }
}

/** The partitions of `events` whose month ends by `cutoff`, oldest first. */
async function expiredPartitions(db: Kysely<Database>, cutoff: Date): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'events'::regclass
  `.execute(db)
  return rows
    .map((r) => r.name)
    .filter((name) => {
      const match = /^events_(\d{4})_(\d{2})$/.exec(name)
      // Month `MM` (1-based) ends where month index `MM` (0-based) starts.
      return !!match && new Date(Date.UTC(Number(match[1]), Number(match[2]), 1)) <= cutoff
    })
    .sort()
}
