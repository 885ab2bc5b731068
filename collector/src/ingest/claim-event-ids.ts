import { sql, type Transaction } from 'kysely'
import type { Database, Trust } from '../db/schema'

/** What claiming a batch's event ids decided; every other event of the batch is a duplicate. */
export interface Claims<E> {
  /** The events to store, in batch order: new ids, and ids a backend takes over from a browser. */
  claimed: E[]
  /** Backend events whose id a browser claimed first, with the `event_time` of the browser's copy. */
  takeovers: Map<E, Date>
}

/**
 * Claims each event id for the tenant, with the batch's trust
 * (`collector/docs/trust-boundary.md`). An id claimed before — by an earlier
 * batch, or earlier in this one — makes a duplicate, except that a backend
 * (server trust) takes over an id only a browser claimed: data from a public
 * key never blocks a backend's. A concurrent claim of the same id waits for
 * the other transaction, and a takeover locks the browser's claim, so a
 * browser and a backend racing — or two backends — still end with one copy,
 * the backend's. Both statements have fixed text (array parameters), so
 * they are prepared once per connection.
 *
 * A new key is pending resolution (`profile_id` NULL) and takes its place
 * in the arrival order, `seq`, in batch order: `WITH ORDINALITY … ORDER BY`
 * hands the rows to the insert in that order (collector/docs/pipeline.md).
 *
 * @example
 * const { claimed, takeovers } = await claimEventIds(trx, tenantId, 'server', rows, receivedAt)
 */
export async function claimEventIds<E extends { eventId: string; eventTime: Date }>(
  trx: Transaction<Database>,
  tenantId: string,
  trust: Trust,
  events: readonly E[],
  receivedAt: Date,
): Promise<Claims<E>> {
  // The first event of each id speaks for it; a later one in the same batch is a duplicate.
  const first = new Map<string, E>()
  for (const e of events) if (!first.has(e.eventId)) first.set(e.eventId, e)
  const candidates = [...first.values()]
  const { rows: inserted } = await sql<{ event_id: string }>`
    INSERT INTO event_keys (tenant_id, event_id, event_time, received_at, trust)
    SELECT ${tenantId}::uuid, u.event_id, u.event_time, ${receivedAt}::timestamptz, ${trust}
    FROM unnest(${candidates.map((e) => e.eventId)}::uuid[], ${candidates.map((e) => e.eventTime.toISOString())}::timestamptz[])
      WITH ORDINALITY AS u(event_id, event_time, n)
    ORDER BY u.n
    ON CONFLICT DO NOTHING
    RETURNING event_id
  `.execute(trx)
  const fresh = new Set(inserted.map((r) => first.get(r.event_id)!))
  const takeovers = new Map<E, Date>()
  const taken = candidates.filter((e) => !fresh.has(e))
  if (trust === 'server' && taken.length > 0) {
    // FOR UPDATE: a second backend copy racing this one waits here, then finds the claim gone to the server.
    const { rows: browserClaims } = await sql<{ event_id: string; event_time: Date }>`
      SELECT event_id, event_time FROM event_keys
      WHERE tenant_id = ${tenantId} AND event_id = ANY(${taken.map((e) => e.eventId)}::uuid[]) AND trust = 'browser'
      FOR UPDATE
    `.execute(trx)
    for (const row of browserClaims) takeovers.set(first.get(row.event_id)!, row.event_time)
  }
  return { claimed: candidates.filter((e) => fresh.has(e) || takeovers.has(e)), takeovers }
}
