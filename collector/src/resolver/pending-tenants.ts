import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/schema'

/**
 * The tenants that have unresolved events, by a loose index scan of the
 * partial index `event_keys_pending`: one index probe per tenant, however long
 * each backlog is. Runs as the connection's own role, across tenants; it
 * reads tenant ids only.
 *
 * @example
 * const tenants = await findPendingTenants(db) // ['6f1c…', …]
 */
export async function findPendingTenants(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ tenant_id: string }>`
    WITH RECURSIVE t(tenant_id) AS (
      (SELECT tenant_id FROM event_keys WHERE profile_id IS NULL ORDER BY tenant_id LIMIT 1)
      UNION ALL
      SELECT (SELECT k.tenant_id FROM event_keys AS k WHERE k.profile_id IS NULL AND k.tenant_id > t.tenant_id ORDER BY k.tenant_id LIMIT 1)
      FROM t WHERE t.tenant_id IS NOT NULL
    )
    SELECT tenant_id FROM t WHERE tenant_id IS NOT NULL
  `.execute(db)
  return rows.map((r) => r.tenant_id)
}
