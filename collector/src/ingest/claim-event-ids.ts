import type { Transaction } from 'kysely'
import type { Database, Trust } from '../db/schema'
import type { PreparedEvent } from './prepare-event'

/** What claiming a batch's event ids decided; every other event of the batch is a duplicate. */
export interface Claims {
  /** The events to store, in batch order: new ids, and ids a backend takes over from a browser. */
  claimed: PreparedEvent[]
  /** Backend events whose id a browser claimed first, with the `event_time` of the browser's copy. */
  takeovers: Map<PreparedEvent, Date>
}

/**
 * Claims each event id for the tenant, with the batch's trust
 * (`collector/docs/trust-boundary.md`). An id claimed before — by an earlier
 * batch, or earlier in this one — makes a duplicate, except that a backend
 * (server trust) takes over an id only a browser claimed: data from a public
 * key never blocks a backend's. A concurrent claim of the same id waits for
 * the other transaction, and a takeover locks the browser's claim, so a
 * browser and a backend racing — or two backends — still end with one copy,
 * the backend's.
 *
 * @example
 * const { claimed, takeovers } = await claimEventIds(trx, tenantId, 'server', events, receivedAt)
 */
export async function claimEventIds(
  trx: Transaction<Database>,
  tenantId: string,
  trust: Trust,
  events: PreparedEvent[],
  receivedAt: Date,
): Promise<Claims> {
  const inserted = await trx
    .insertInto('event_keys')
    .values(events.map((e) => ({ tenant_id: tenantId, event_id: e.eventId, event_time: e.eventTime, received_at: receivedAt, trust })))
    .onConflict((oc) => oc.doNothing())
    .returning('event_id')
    .execute()
  const ids = new Set(inserted.map((r) => r.event_id))
  const fresh = new Set(events.filter((e) => ids.delete(e.eventId)))
  const takeovers = new Map<PreparedEvent, Date>()
  // The first event of each id this batch did not claim itself may take over a browser's claim.
  const freshIds = new Set([...fresh].map((e) => e.eventId))
  const candidates = new Map<string, PreparedEvent>()
  for (const e of events) if (!freshIds.has(e.eventId) && !candidates.has(e.eventId)) candidates.set(e.eventId, e)
  if (trust === 'server' && candidates.size > 0) {
    // FOR UPDATE: a second backend copy racing this one waits here, then finds the claim gone to the server.
    const browserClaims = await trx
      .selectFrom('event_keys')
      .select(['event_id', 'event_time'])
      .where('tenant_id', '=', tenantId)
      .where('event_id', 'in', [...candidates.keys()])
      .where('trust', '=', 'browser')
      .forUpdate()
      .execute()
    for (const row of browserClaims) takeovers.set(candidates.get(row.event_id)!, row.event_time)
  }
  return { claimed: events.filter((e) => fresh.has(e) || takeovers.has(e)), takeovers }
}
