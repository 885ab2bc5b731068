import { type Kysely, sql } from 'kysely'
import { dropExpiredPartitions } from '../db/partitions'
import type { Database } from '../db/schema'
import { monthsBefore } from './months-before'
import { enforceTenantWindows, type TenantRetention } from './tenant-retention'

/** Rows per DELETE: small enough that each batch is a short transaction holding few locks. */
const RETENTION_BATCH = 5000

/** What one retention run did. */
export interface RetentionReport {
  /** The cut-off of the default window: events before it are gone. */
  cutoff: string
  partitions_dropped: string[]
  event_keys_expired: number
  /** Trust Engine outbox rows of events past the window (`collector/docs/trust-engine.md`). */
  deliveries_expired: number
  tenants: TenantRetention[]
}

/** Options of a retention run; `now` and `batchSize` exist for tests. */
export interface RetentionOptions {
  retentionMonths: number
  now?: Date
  batchSize?: number
}

/**
 * Enforces event retention (collector/docs/privacy.md), as the connecting owner rather than a
 * tenant, since it spans tenants and drops tables:
 * 1. deletes, in bounded batches, the outbox rows (deliveries) of events in
 *    months wholly past the window (a replay of those is refused as too old
 *    anyway);
 * 2. deletes those months' idempotency keys, batch by batch along each
 *    partition, then drops the partitions whole — never a bulk DELETE on
 *    events — in a transaction that only drops;
 * 3. enforces tenants' shorter windows with bounded, batched deletes.
 * Profiles and their aggregates are left as they are. Idempotent, and safe
 * to run from several collectors at once.
 *
 * @example
 * const report = await runRetention(db, { retentionMonths: 13 })
 */
export async function runRetention(db: Kysely<Database>, options: RetentionOptions): Promise<RetentionReport> {
  const now = options.now ?? new Date()
  const batchSize = options.batchSize ?? RETENTION_BATCH
  const cutoff = monthsBefore(now, options.retentionMonths)
  const firstKept = new Date(Date.UTC(cutoff.getUTCFullYear(), cutoff.getUTCMonth(), 1))
  const deliveries = await expireDeliveries(db, firstKept, batchSize)
  const { dropped, keysDeleted } = await dropExpiredPartitions(db, { retentionMonths: options.retentionMonths, now, batchSize })
  const tenants = await enforceTenantWindows(db, { retentionMonths: options.retentionMonths, now, batchSize })
  return { cutoff: cutoff.toISOString(), partitions_dropped: dropped, event_keys_expired: keysDeleted, deliveries_expired: deliveries, tenants }
}

/**
 * Deletes the deliveries of events before `before` in batches; returns how
 * many. They have no index on time (each delivery would pay for it at
 * ingest), so the last batch of a run reads the table once.
 */
async function expireDeliveries(db: Kysely<Database>, before: Date, batchSize: number): Promise<number> {
  let total = 0
  for (;;) {
    const result = await sql`
      DELETE FROM deliveries WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM deliveries WHERE event_time < ${before} LIMIT ${batchSize}))
    `.execute(db)
    const deleted = Number(result.numAffectedRows ?? 0)
    total += deleted
    if (deleted < batchSize) return total
  }
}
