import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema'
import type { PendingEvent } from './pending-events'

/**
 * Writes resolution back onto the appended events in one UPDATE: each
 * event's profile, and what resolution had to say about it appended to its
 * `warnings`. Rows are found by primary key (`= ANY` on the event ids),
 * never by joining the tenant's whole table.
 *
 * @example
 * await settleEvents(trx, tenantId, kept, plan.profileOf, plan.warnings)
 */
export async function settleEvents(
  trx: Transaction<Database>,
  tenantId: string,
  events: readonly PendingEvent[],
  profileOf: ReadonlyMap<number, string>,
  warnings: ReadonlyMap<number, string[]>,
): Promise<void> {
  if (events.length === 0) return
  const ids = events.map((e) => e.eventId)
  const { from, to } = timeSpan(events)
  await sql`
    UPDATE events AS e SET
      profile_id = u.profile_id,
      warnings = CASE WHEN u.warnings IS NULL THEN e.warnings ELSE e.warnings || u.warnings::jsonb END
    FROM unnest(${ids}::uuid[], ${events.map((e) => e.eventTime.toISOString())}::timestamptz[],
      ${events.map((e) => profileOf.get(e.key)!)}::uuid[], ${events.map((e) => serialize(warnings.get(e.key)))}::text[])
      AS u(event_id, event_time, profile_id, warnings)
    WHERE e.tenant_id = ${tenantId} AND e.event_time BETWEEN ${from}::timestamptz AND ${to}::timestamptz
      AND e.event_id = ANY(${ids}::uuid[]) AND e.event_id = u.event_id AND e.event_time = u.event_time
  `.execute(trx)
}

/**
 * Removes events that must not be kept — an erased identifier, or a
 * person's analytics denial — together with their idempotency keys, so that
 * "duplicate" keeps meaning "stored" (collector/docs/pipeline.md).
 *
 * @example
 * await dropEvents(trx, tenantId, suppressed)
 */
export async function dropEvents(trx: Transaction<Database>, tenantId: string, events: readonly PendingEvent[]): Promise<void> {
  if (events.length === 0) return
  const ids = events.map((e) => e.eventId)
  const { from, to } = timeSpan(events)
  await sql`
    DELETE FROM events WHERE tenant_id = ${tenantId} AND event_time BETWEEN ${from}::timestamptz AND ${to}::timestamptz
      AND event_id = ANY(${ids}::uuid[]) AND profile_id IS NULL
  `.execute(trx)
  await sql`DELETE FROM event_keys WHERE tenant_id = ${tenantId} AND event_id = ANY(${ids}::uuid[])`.execute(trx)
}

/** The events' time span: it lets PostgreSQL skip the monthly partitions that cannot hold them. */
function timeSpan(events: readonly PendingEvent[]) {
  const times = events.map((e) => e.eventTime.getTime())
  return { from: new Date(Math.min(...times)).toISOString(), to: new Date(Math.max(...times)).toISOString() }
}

const serialize = (warnings: string[] | undefined) => (warnings && warnings.length > 0 ? JSON.stringify(warnings) : null)
