import { sql, type Transaction } from 'kysely'
import type { Database, StoredIdentifier } from '../db/schema'
import type { ResolvableEvent } from '../identity/resolvable-event'
import { purchaseAmount } from './purchase-amount'
import type { AggregatedEvent } from './update-aggregates'

/** An appended, not yet resolved event: what resolution, suppression and aggregates need of it. */
export interface PendingEvent extends ResolvableEvent, AggregatedEvent {
  eventId: string
  /** The tenant's row: its primary key is `(tenant_id, event_id, event_time)`. */
  eventTime: Date
  receivedAt: Date
  trust: 'browser' | 'server'
}

interface PendingKey {
  event_id: string
  event_time: Date
  received_at: Date
  trust: 'browser' | 'server'
}

interface PendingRow {
  event_id: string
  event_name: string
  session_id: string | null
  identifiers: StoredIdentifier[]
  purchase: Record<string, unknown> | null
}

/**
 * The tenant's next `limit` unresolved events, in arrival order (`seq`), in
 * two reads whose plans cannot drift (collector/docs/pipeline.md, "Plans"):
 * 1. the keys, through the partial index `event_keys_pending`, so the cost
 *    follows the backlog, not the table; each is locked (`FOR UPDATE`)
 *    until the caller's transaction ends;
 * 2. their events, one primary-key probe each, in the partition of its time.
 *
 * One join did both until it met a table of a million events: with fresh
 * statistics the planner hashed the whole month's partition instead of
 * probing it 4,000 times, and a read of 25 ms took a second.
 *
 * Only the key is locked. A backend's copy taking one of them over
 * (`replaceBrowserCopies`) locks the key first and replaces the event in
 * the same transaction, so once this read holds the key the event under it
 * cannot change; and a key this read waited for comes back as the takeover
 * left it, so the second read finds the backend's copy, resolved by its own
 * identifiers. A key whose event is gone is left out (no writer leaves
 * one: each deletes an event and its key in one transaction).
 *
 * @example
 * const pending = await loadPendingEvents(trx, tenantId, 2000)
 */
export async function loadPendingEvents(trx: Transaction<Database>, tenantId: string, limit: number): Promise<PendingEvent[]> {
  const { rows: keys } = await sql<PendingKey>`
    SELECT event_id, event_time, received_at, trust FROM event_keys
    WHERE tenant_id = ${tenantId} AND profile_id IS NULL
    ORDER BY seq
    LIMIT ${limit}
    FOR UPDATE
  `.execute(trx)
  if (keys.length === 0) return []
  // One probe of the primary key per key, in the partition of its time: a
  // LATERAL subquery with LIMIT is never flattened into a join the planner
  // could hash, and it took a quarter of the time of `= ANY` (18 against 73 ms for 4,000).
  const { rows } = await sql<PendingRow>`
    SELECT e.event_id, e.event_name, e.session_id, e.identifiers,
      CASE WHEN e.event_name = 'Purchase'
        THEN jsonb_build_object('value', e.properties -> 'value', 'currency', e.properties -> 'currency') END AS purchase
    FROM unnest(${keys.map((k) => k.event_id)}::uuid[], ${keys.map((k) => k.event_time.toISOString())}::timestamptz[])
      AS k(event_id, event_time)
    CROSS JOIN LATERAL (
      SELECT event_id, event_name, session_id, identifiers, properties FROM events
      WHERE tenant_id = ${tenantId} AND event_id = k.event_id AND event_time = k.event_time LIMIT 1
    ) AS e
  `.execute(trx)
  const eventOf = new Map(rows.map((row) => [row.event_id, row]))
  const pending: PendingEvent[] = []
  for (const k of keys) {
    const row = eventOf.get(k.event_id)
    if (row) pending.push(toPendingEvent(pending.length, k, row))
  }
  return pending
}

function toPendingEvent(key: number, k: PendingKey, row: PendingRow): PendingEvent {
  return {
    key,
    eventId: k.event_id,
    eventTime: k.event_time,
    receivedAt: new Date(k.received_at),
    eventName: row.event_name,
    sessionId: row.session_id,
    identifiers: row.identifiers.map((i) => ({
      type: i.type as ResolvableEvent['identifiers'][number]['type'],
      value: i.value,
      status: i.status,
      ...(i.role ? { role: true as const } : {}),
    })),
    browser: k.trust === 'browser',
    confirmed: k.trust === 'server',
    trust: k.trust,
    amount: row.purchase ? purchaseAmount(row.event_name, row.purchase) : null,
  }
}
