import { type Kysely, sql } from 'kysely'

/**
 * `event_keys` loses its index on `event_time`, which only retention read.
 * Every append wrote it once per key and every resolution again (the key's
 * update is not HOT: `profile_id` is indexed), and all concurrent appends
 * wrote into its rightmost pages, live events being the newest. Retention
 * now finds expired keys through the events of the partitions it drops
 * (`db/delete-partition-keys.ts`; collector/docs/privacy.md, "Retention").
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS event_keys_expiry`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS event_keys_expiry ON event_keys (event_time)`.execute(db)
}
