import type { Kysely } from 'kysely'
import { withTenant } from '../db/with-tenant'
import type { Database } from '../db/schema'

/**
 * Makes sure a tenant row exists (a tenant is provisioned on the first use of
 * a valid token). Runs under the tenant's own RLS scope, which allows
 * inserting exactly that tenant.
 *
 * @example
 * await provisionTenant(db, tenantId)
 */
export async function provisionTenant(db: Kysely<Database>, tenantId: string, name = 'tenant'): Promise<void> {
  await withTenant(db, tenantId, (trx) =>
    trx.insertInto('tenants').values({ id: tenantId, name }).onConflict((oc) => oc.column('id').doNothing()).execute(),
  )
}
