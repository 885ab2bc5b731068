import type { Transaction } from 'kysely'
import type { Database, SourceType, StoredIdentifier } from '../db/schema'

/**
 * A stored event as a sender needs it, with its source's type (to tell a
 * website's events from an app's when the event does not say).
 *
 * @example
 * const [event] = await loadDeliveryEvents(trx, tenantId, [eventId])
 * event?.eventName // 'Purchase'
 */
export interface DeliveryEvent {
  eventId: string
  eventName: string
  eventTime: Date
  receivedAt: Date
  /** Null until the resolver has resolved the event into a profile. */
  profileId: string | null
  sourceId: string | null
  sourceType: SourceType | null
  actionSource: string | null
  identifiers: StoredIdentifier[]
  userData: Record<string, string>
  properties: Record<string, unknown>
  context: Record<string, unknown>
  consent: Record<string, boolean> | null
  clientIp: string | null
  userAgent: string | null
  emq: number | null
}

/**
 * The stored events with these ids, each read in its own partition through
 * its key, which also carries its profile; an id whose event is gone
 * (erased, suppressed, past retention) is simply absent.
 *
 * @example
 * const events = await loadDeliveryEvents(trx, tenantId, ids)
 */
export async function loadDeliveryEvents(trx: Transaction<Database>, tenantId: string, eventIds: string[]): Promise<DeliveryEvent[]> {
  if (eventIds.length === 0) return []
  const rows = await trx
    .selectFrom('event_keys as k')
    .innerJoin('events as e', (j) =>
      j.onRef('e.tenant_id', '=', 'k.tenant_id').onRef('e.event_id', '=', 'k.event_id').onRef('e.event_time', '=', 'k.event_time'),
    )
    .leftJoin('sources as s', (j) => j.onRef('s.tenant_id', '=', 'e.tenant_id').onRef('s.id', '=', 'e.source_id'))
    .select([
      'e.event_id', 'e.event_name', 'e.event_time', 'e.received_at', 'k.profile_id', 'e.source_id', 's.source_type', 'e.action_source',
      'e.identifiers', 'e.user_data', 'e.properties', 'e.context', 'e.consent', 'e.client_ip', 'e.user_agent', 'e.emq',
    ])
    .where('k.tenant_id', '=', tenantId)
    .where('k.event_id', 'in', eventIds)
    .execute()
  return rows.map((r) => ({
    eventId: r.event_id,
    eventName: r.event_name,
    eventTime: r.event_time,
    receivedAt: r.received_at,
    profileId: r.profile_id ?? null,
    sourceId: r.source_id,
    sourceType: r.source_type ?? null,
    actionSource: r.action_source,
    identifiers: r.identifiers,
    userData: r.user_data,
    properties: r.properties,
    context: r.context,
    consent: r.consent,
    clientIp: r.client_ip,
    userAgent: r.user_agent,
    emq: r.emq,
  }))
}
