import { type Kysely, sql } from 'kysely'

/**
 * Privacy's one schema change: an index on `event_keys (event_time)`.
 *
 * Retention deletes the idempotency keys of expired events in small batches
 * (`collector/src/privacy/expire-event-keys.ts`); without this index every
 * batch would scan the whole key table, and the final check inside the
 * partition-dropping transaction (which holds a lock on `events`) would too.
 * Ingest pays one more B-tree entry per event for it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS event_keys_expiry ON event_keys (event_time)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS event_keys_expiry`.execute(db)
}
