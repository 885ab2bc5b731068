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

interface PendingRow {
  event_id: string
  event_time: Date
  received_at: Date
  event_name: string
  session_id: string | null
  identifiers: StoredIdentifier[]
  purchase: Record<string, unknown> | null
  trust: 'browser' | 'server'
}

/**
 * The tenant's next `limit` unresolved events, in arrival order (`seq`),
 * read through the partial index `event_keys_pending`, so the cost follows
 * the backlog, not the table. Each key is locked, then its event
 * (`FOR UPDATE OF k, e`, in that order), until the caller's transaction
 * ends:
 * - a backend's copy taking one of them over (`replaceBrowserCopies`) locks
 *   the key first too, so one of the two waits for the other, never both;
 * - a browser copy replaced while this read waited is gone when its row is
 *   locked, and is skipped: the backend's copy stays pending for the next
 *   round, never resolved with the browser's identifiers.
 *
 * @example
 * const pending = await loadPendingEvents(trx, tenantId, 2000)
 */
export async function loadPendingEvents(trx: Transaction<Database>, tenantId: string, limit: number): Promise<PendingEvent[]> {
  const { rows } = await sql<PendingRow>`
    SELECT e.event_id, e.event_time, e.received_at, e.event_name, e.session_id, e.identifiers, k.trust,
      CASE WHEN e.event_name = 'Purchase'
        THEN jsonb_build_object('value', e.properties -> 'value', 'currency', e.properties -> 'currency') END AS purchase
    FROM event_keys AS k
    JOIN events AS e ON e.tenant_id = k.tenant_id AND e.event_id = k.event_id AND e.event_time = k.event_time
    WHERE k.tenant_id = ${tenantId} AND k.profile_id IS NULL
    ORDER BY k.seq
    LIMIT ${limit}
    FOR UPDATE OF k, e
  `.execute(trx)
  return rows.map((row, key) => ({
    key,
    eventId: row.event_id,
    eventTime: row.event_time,
    receivedAt: new Date(row.received_at),
    eventName: row.event_name,
    sessionId: row.session_id,
    identifiers: row.identifiers.map((i) => ({
      type: i.type as ResolvableEvent['identifiers'][number]['type'],
      value: i.value,
      status: i.status,
      ...(i.role ? { role: true as const } : {}),
    })),
    browser: row.trust === 'browser',
    confirmed: row.trust === 'server',
    trust: row.trust,
    amount: row.purchase ? purchaseAmount(row.event_name, row.purchase) : null,
  }))
}
