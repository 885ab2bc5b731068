import { type Kysely, sql } from 'kysely'
import type { Database } from './schema'

/** Where a walk of a partition's primary key stands: after this tenant's event. */
interface Position {
  tenant_id: string
  event_id: string
}

/**
 * Deletes the idempotency keys of the events in one partition of `events`,
 * `batchSize` events at a time along the partition's primary key, each
 * batch its own short statement. What it costs is the partition's size, not
 * the size of `event_keys`, which keeps no index on time for it: an append
 * would write that index twice per event, once at the claim and once when
 * the key is resolved (collector/docs/privacy.md, "Retention"). A partition
 * another collector dropped meanwhile has no keys left to delete: 0.
 *
 * @example
 * const deleted = await deletePartitionKeys(db, 'events_2025_09', 5000)
 */
export async function deletePartitionKeys(db: Kysely<Database>, partition: string, batchSize: number): Promise<number> {
  let deleted = 0
  let after: Position | undefined
  try {
    for (;;) {
      const { rows } = await sql<{ read: number; deleted: number; last: Position | null }>`
        WITH batch AS (
          SELECT tenant_id, event_id FROM ${sql.table(partition)}
          WHERE ${after ? sql`(tenant_id, event_id) > (${after.tenant_id}::uuid, ${after.event_id}::uuid)` : sql`true`}
          ORDER BY tenant_id, event_id LIMIT ${batchSize}
        ), gone AS (
          DELETE FROM event_keys AS k USING batch AS b WHERE k.tenant_id = b.tenant_id AND k.event_id = b.event_id RETURNING 1
        )
        SELECT (SELECT count(*) FROM batch)::int AS read, (SELECT count(*) FROM gone)::int AS deleted,
          (SELECT to_jsonb(b) FROM batch AS b ORDER BY tenant_id DESC, event_id DESC LIMIT 1) AS last
      `.execute(db)
      const batch = rows[0]!
      deleted += batch.deleted
      // A short batch was the partition's last; a full one always has a last row.
      if (batch.read < batchSize) return deleted
      after = batch.last!
    }
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return deleted
    throw error
  }
}
