import type { Transaction } from 'kysely'
import type { Database } from '../db/schema'

/**
 * The tenant's name, or `null` when its row does not exist yet (a source key
 * always belongs to a provisioned tenant; a JWT provisions its tenant first).
 *
 * @example
 * await withTenant(db, tenantId, (trx) => loadTenantName(trx, tenantId)) // 'tenant'
 */
export async function loadTenantName(trx: Transaction<Database>, tenantId: string): Promise<string | null> {
  const row = await trx.selectFrom('tenants').select('name').where('id', '=', tenantId).executeTakeFirst()
  return row?.name ?? null
}
