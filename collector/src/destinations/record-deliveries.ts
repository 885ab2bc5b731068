import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema'

/**
 * What the outbox needs of one stored event: nothing ingest-internal.
 *
 * @example
 * const e: OutboxEvent = { eventId, eventTime: new Date(), eventName: 'Purchase', sourceId: null, emq: 83.2 }
 */
export interface OutboxEvent {
  eventId: string
  eventTime: Date
  eventName: string
  /** The event's source; null for events sent with a JWT (the tenant's server signal). */
  sourceId: string | null
  emq: number | null
}

/**
 * The transactional outbox (`collector/docs/trust-engine.md`): called inside
 * the transaction that stores `events`, it records one pending delivery per
 * enabled destination whose filters match each event, in one statement. The
 * outbox rows commit or roll back with the events, so an event acknowledged
 * with a 2xx is never lost to a destination; a tenant without destinations
 * pays one index probe.
 *
 * An event id already in a destination's outbox is the same event: a
 * backend's copy replacing a browser's takes over its not-yet-sent delivery
 * (a held one is gated again), and leaves a sent one alone, since the
 * platform deduplicates by `event_id`.
 *
 * @example
 * await recordDeliveries(trx, tenantId, [{ eventId, eventTime, eventName: 'Purchase', sourceId: null, emq: 83.2 }])
 */
export async function recordDeliveries(
  trx: Transaction<Database>,
  tenantId: string,
  events: readonly OutboxEvent[],
  now: Date = new Date(),
): Promise<void> {
  if (events.length === 0) return
  const rows = JSON.stringify(
    events.map((e) => ({ event_id: e.eventId, event_time: e.eventTime.toISOString(), event_name: e.eventName, source_id: e.sourceId, emq: e.emq })),
  )
  await sql`
    INSERT INTO deliveries AS d (tenant_id, destination_id, event_id, event_time, event_name, source_id, emq, status, next_attempt_at, created_at, updated_at)
    SELECT t.tenant_id, t.id, e.event_id, e.event_time, e.event_name, e.source_id, e.emq, 'pending', ${now}, ${now}, ${now}
    FROM destinations AS t
    CROSS JOIN jsonb_to_recordset(${rows}::jsonb) AS e(event_id uuid, event_time timestamptz, event_name text, source_id uuid, emq real)
    WHERE t.tenant_id = ${tenantId} AND t.enabled
      AND (t.event_names IS NULL OR e.event_name = ANY(t.event_names))
      AND (t.source_ids IS NULL OR coalesce(e.source_id::text, 'server') = ANY(t.source_ids))
    ON CONFLICT (tenant_id, destination_id, event_id) DO UPDATE SET
      event_time = excluded.event_time, event_name = excluded.event_name, source_id = excluded.source_id, emq = excluded.emq,
      status = 'pending', level = NULL, reason = NULL, updated_at = excluded.updated_at
    WHERE d.status IN ('pending', 'held')
  `.execute(trx)
}
