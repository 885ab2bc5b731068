import { type Kysely, type Transaction, sql } from 'kysely'
import type { Database } from './schema'

/**
 * Runs `work` in one transaction as the row-level-security role
 * `stratum_app`, with the tenant set for that transaction only. Every query
 * inside sees and writes only `tenantId`'s rows, even one that forgets its
 * `WHERE tenant_id = …`. Both settings are transaction-local, so a pooled
 * connection never carries a tenant into the next request.
 *
 * @example
 * const sources = await withTenant(db, tenantId, (trx) => trx.selectFrom('sources').selectAll().execute())
 */
export function withTenant<T>(
  db: Kysely<Database>,
  tenantId: string,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    // One round trip: `set_config('role', …, true)` is `SET LOCAL ROLE`.
    await sql`SELECT set_config('stratum.tenant_id', ${tenantId}, true), set_config('role', 'stratum_app', true)`.execute(trx)
    return work(trx)
  })
}
