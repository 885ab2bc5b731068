import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema'
import type { PendingEvent } from './pending-events'

/**
 * Writes resolution back: each event's profile onto its key, in one UPDATE
 * of the narrow `event_keys` rows found by primary key (`= ANY` on the ids);
 * then what resolution had to say about an event, appended to the
 * `warnings` of those few events that have something to say. The wide event
 * row is not rewritten to record its profile (collector/docs/pipeline.md,
 * "Where resolution is written").
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
  await sql`
    UPDATE event_keys AS k SET profile_id = u.profile_id
    FROM unnest(${ids}::uuid[], ${events.map((e) => profileOf.get(e.key)!)}::uuid[]) AS u(event_id, profile_id)
    WHERE k.tenant_id = ${tenantId} AND k.event_id = ANY(${ids}::uuid[]) AND k.event_id = u.event_id
  `.execute(trx)
  const warned = events.filter((e) => (warnings.get(e.key)?.length ?? 0) > 0)
  if (warned.length === 0) return
  const { from, to } = timeSpan(warned)
  await sql`
    UPDATE events AS e SET warnings = e.warnings || u.warnings::jsonb
    FROM unnest(${warned.map((e) => e.eventId)}::uuid[], ${warned.map((e) => e.eventTime.toISOString())}::timestamptz[],
      ${warned.map((e) => JSON.stringify(warnings.get(e.key)))}::text[]) AS u(event_id, event_time, warnings)
    WHERE e.tenant_id = ${tenantId} AND e.event_time BETWEEN ${from}::timestamptz AND ${to}::timestamptz
      AND e.event_id = ANY(${warned.map((e) => e.eventId)}::uuid[]) AND e.event_id = u.event_id AND e.event_time = u.event_time
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
      AND event_id = ANY(${ids}::uuid[])
  `.execute(trx)
  await sql`DELETE FROM event_keys WHERE tenant_id = ${tenantId} AND event_id = ANY(${ids}::uuid[])`.execute(trx)
}

/** The events' time span: it lets PostgreSQL skip the monthly partitions that cannot hold them. */
function timeSpan(events: readonly PendingEvent[]) {
  const times = events.map((e) => e.eventTime.getTime())
  return { from: new Date(Math.min(...times)).toISOString(), to: new Date(Math.max(...times)).toISOString() }
}
