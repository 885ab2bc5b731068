import { type Kysely, sql } from 'kysely'

/**
 * The index behind signal health (`GET /emq`, `GET /health`, collector/docs/emq.md).
 *
 * Windows are read on `received_at` (see `collector/docs/emq.md`), which is
 * not the partition key, so every monthly partition is probed: one B-tree
 * descent each, then a range scan of the tenant's last 7 days. `source_id`
 * and `emq` are INCLUDEd so that counts, means, bands and percentiles come
 * from an index-only scan and never touch the wide event rows.
 *
 * Created on the partitioned parent, so PostgreSQL builds it on every
 * existing partition and on every partition `ensureEventPartitions` adds
 * later. On a large existing deployment, build it per partition with
 * `CREATE INDEX CONCURRENTLY` first: the parent's CREATE INDEX then attaches
 * those instead of building under a lock.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX IF NOT EXISTS events_emq_window ON events (tenant_id, received_at) INCLUDE (source_id, emq)
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS events_emq_window`.execute(db)
}
