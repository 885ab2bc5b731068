import type { Transaction } from 'kysely'
import type { Database } from '../db/schema'
import { monthsBefore } from '../privacy/months-before'

/**
 * The oldest `event_time` a tenant with its own, shorter retention window
 * accepts (`stratum retention set`), or `undefined` when the collector's
 * default applies (checked before storing, with the rest of validation).
 * Read inside the batch's transaction, under row-level security, so ingest
 * never stores an event that the next retention run would delete.
 *
 * @example
 * const cutoff = await tenantCutoff(trx, tenantId, receivedAt)
 * if (cutoff && event.eventTime < cutoff) reject(event)
 */
export async function tenantCutoff(
  trx: Transaction<Database>,
  tenantId: string,
  receivedAt: Date,
): Promise<Date | undefined> {
  const tenant = await trx.selectFrom('tenants').select('retention_months').where('id', '=', tenantId).executeTakeFirst()
  return tenant?.retention_months ? monthsBefore(receivedAt, tenant.retention_months) : undefined
}
