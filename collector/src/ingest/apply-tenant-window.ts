import type { Transaction } from 'kysely'
import type { Database } from '../db/schema'
import { monthsBefore } from '../privacy/months-before'
import { SHORTEST_WINDOW_MONTHS } from '../privacy/tenant-retention'
import { type Rejection, tooOld } from './prepare-event'

/**
 * Refuses the events older than the tenant's own, shorter retention window
 * (`stratum retention set`), so that ingest never stores what the next
 * retention run would delete. The collector's default window was applied
 * with the rest of validation. The tenant's window is read inside the
 * batch's transaction, under row-level security, and only when the batch
 * holds an event older than the shortest window a tenant may set: live
 * traffic never pays for the lookup.
 *
 * @example
 * const { kept, rejected } = await applyTenantWindow(trx, tenantId, prepared, receivedAt)
 */
export async function applyTenantWindow<E extends { index: number; eventTime: Date }>(
  trx: Transaction<Database>,
  tenantId: string,
  events: readonly E[],
  receivedAt: Date,
): Promise<{ kept: readonly E[]; rejected: Rejection[] }> {
  const none = { kept: events, rejected: [] }
  const recent = monthsBefore(receivedAt, SHORTEST_WINDOW_MONTHS)
  if (!events.some((e) => e.eventTime < recent)) return none
  const tenant = await trx.selectFrom('tenants').select('retention_months').where('id', '=', tenantId).executeTakeFirst()
  if (!tenant?.retention_months) return none
  const cutoff = monthsBefore(receivedAt, tenant.retention_months)
  return {
    kept: events.filter((e) => e.eventTime >= cutoff),
    rejected: events.filter((e) => e.eventTime < cutoff).map((e) => tooOld(e.index, "the tenant's retention window")),
  }
}
