import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/schema'
import { StratumError } from '../errors'
import { monthsBefore } from './months-before'

/**
 * The shortest retention window a tenant may set, in months: ingest only
 * looks a tenant's window up for batches holding an event older than this.
 *
 * @example
 * setTenantRetention(db, tenantId, SHORTEST_WINDOW_MONTHS)
 */
export const SHORTEST_WINDOW_MONTHS = 1

/** What enforcing one tenant's shorter window did. */
export interface TenantRetention {
  tenant_id: string
  retention_months: number
  cutoff: string
  events_deleted: number
}

/**
 * Enforces every tenant's own, shorter retention window. Partitions are
 * shared by all tenants, so a tenant's expired events are deleted instead —
 * partition by partition, in batches of `batchSize` rows picked by `ctid`
 * (one short transaction each, never one statement over the whole range),
 * each batch taking its events' idempotency keys with it. A window at or
 * above the default is left to partition dropping.
 *
 * @example
 * const done = await enforceTenantWindows(db, { retentionMonths: 13, now: new Date(), batchSize: 5000 })
 */
export async function enforceTenantWindows(
  db: Kysely<Database>,
  options: { retentionMonths: number; now: Date; batchSize: number },
): Promise<TenantRetention[]> {
  const tenants = await db
    .selectFrom('tenants')
    .select(['id', 'retention_months'])
    .where('retention_months', '<', options.retentionMonths)
    .orderBy('id')
    .execute()
  if (tenants.length === 0) return []
  const partitions = await listEventPartitions(db)
  const done: TenantRetention[] = []
  for (const tenant of tenants) {
    const months = tenant.retention_months!
    const cutoff = monthsBefore(options.now, months)
    let deleted = 0
    for (const partition of partitions.filter((p) => p.start < cutoff)) {
      deleted += await deleteTenantEvents(db, partition.name, tenant.id, cutoff, options.batchSize)
    }
    done.push({ tenant_id: tenant.id, retention_months: months, cutoff: cutoff.toISOString(), events_deleted: deleted })
  }
  return done
}

/**
 * Sets (or, with `null`, clears) a tenant's own retention window, in months.
 * Only a window shorter than the collector's default has an effect.
 *
 * @example
 * await setTenantRetention(db, tenantId, 6)
 */
export async function setTenantRetention(db: Kysely<Database>, tenantId: string, months: number | null): Promise<void> {
  if (months !== null && !(Number.isInteger(months) && months >= SHORTEST_WINDOW_MONTHS && months <= 120)) {
    throw new StratumError(400, 'invalid_retention', 'A retention window is 1 to 120 months')
  }
  const result = await db.updateTable('tenants').set({ retention_months: months }).where('id', '=', tenantId).executeTakeFirst()
  if (result.numUpdatedRows === 0n) throw new StratumError(404, 'tenant_not_found', `No tenant ${tenantId}`)
}

/** Monthly partitions of `events` with their ranges, from their names (`events_YYYY_MM`). */
async function listEventPartitions(db: Kysely<Database>): Promise<Array<{ name: string; start: Date }>> {
  const { rows } = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'events'::regclass ORDER BY 1
  `.execute(db)
  return rows.flatMap(({ name }) => {
    const match = /^events_(\d{4})_(\d{2})$/.exec(name)
    return match ? [{ name, start: new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)) }] : []
  })
}

/** Deletes one tenant's events before `cutoff` from one partition, batch by batch; returns how many. */
async function deleteTenantEvents(db: Kysely<Database>, partition: string, tenantId: string, cutoff: Date, batchSize: number) {
  let total = 0
  for (;;) {
    // `ctid` is unique within one partition only, hence one partition at a time.
    const { rows } = await sql<{ events: string }>`
      WITH gone AS (
        DELETE FROM ${sql.table(partition)} WHERE ctid = ANY(ARRAY(
          SELECT ctid FROM ${sql.table(partition)} WHERE tenant_id = ${tenantId} AND event_time < ${cutoff} LIMIT ${batchSize}))
        RETURNING event_id
      ), keys AS (
        DELETE FROM event_keys AS k USING gone WHERE k.tenant_id = ${tenantId} AND k.event_id = gone.event_id
      )
      SELECT count(*) AS events FROM gone
    `.execute(db)
    const deleted = Number(rows[0]!.events)
    total += deleted
    if (deleted < batchSize) return total
  }
}
