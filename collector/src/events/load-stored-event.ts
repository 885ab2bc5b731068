import type { Transaction } from 'kysely'
import type { Database, StoredIdentifier, Trust } from '../db/schema'
import { emqBand } from '../emq/bands'
import type { EmqBand } from '../emq/types'
import { survivorOf } from '../profiles/load-profile'

/**
 * One stored event as `GET /events/{event_id}` shows it: identifiers as type
 * and hash (the store never holds a raw email or phone), no client address.
 */
export interface StoredEventView {
  event_id: string
  event_name: string
  event_time: string
  received_at: string
  sent_at: string | null
  source_id: string | null
  /** Who claimed the id (collector/docs/trust-boundary.md). */
  trust: Trust
  action_source: string | null
  /** The surviving profile of the one the event was resolved into; null while pending. */
  profile_id: string | null
  status: 'resolved' | 'pending'
  identifiers: Array<{ type: string; hash: string; status: StoredIdentifier['status'] }>
  user_data: Record<string, string>
  properties: Record<string, unknown>
  context: Record<string, unknown>
  consent: Record<string, boolean> | null
  emq: number | null
  band: EmqBand | null
  emq_breakdown: Record<string, unknown> | null
  warnings: string[]
}

/**
 * Loads one event by id. Its `event_keys` row gives the `event_time` that
 * names its monthly partition, so the read touches one partition only
 * (the sub-select is evaluated first and prunes the others at run time).
 * `null` when the tenant has no such event.
 *
 * @example
 * const event = await withTenant(db, tenantId, (trx) => loadStoredEvent(trx, tenantId, eventId))
 * event?.status // 'resolved'
 */
export async function loadStoredEvent(trx: Transaction<Database>, tenantId: string, eventId: string): Promise<StoredEventView | null> {
  const row = await trx
    .selectFrom('event_keys as k')
    .innerJoin('events as e', (join) =>
      join.onRef('e.tenant_id', '=', 'k.tenant_id').onRef('e.event_id', '=', 'k.event_id').onRef('e.event_time', '=', 'k.event_time'),
    )
    .select([
      'e.event_id', 'e.event_name', 'e.event_time', 'e.received_at', 'e.sent_at', 'e.source_id', 'k.trust', 'e.action_source',
      'k.profile_id', 'e.identifiers', 'e.user_data', 'e.properties', 'e.context', 'e.consent', 'e.emq', 'e.emq_breakdown', 'e.warnings',
    ])
    .where('k.tenant_id', '=', tenantId)
    .where('k.event_id', '=', eventId)
    .where('e.event_time', '=', (eb) =>
      eb.selectFrom('event_keys').select('event_time').where('tenant_id', '=', tenantId).where('event_id', '=', eventId),
    )
    .executeTakeFirst()
  if (!row) return null
  const profileId = row.profile_id === null ? null : ((await survivorOf(trx, tenantId, row.profile_id)) ?? row.profile_id)
  // Stored as `real`: one decimal, as the score was computed.
  const emq = row.emq === null ? null : Math.round(Number(row.emq) * 10) / 10
  return {
    event_id: row.event_id,
    event_name: row.event_name,
    event_time: row.event_time.toISOString(),
    received_at: row.received_at.toISOString(),
    sent_at: row.sent_at?.toISOString() ?? null,
    source_id: row.source_id,
    trust: row.trust,
    action_source: row.action_source,
    profile_id: profileId,
    status: row.profile_id === null ? 'pending' : 'resolved',
    identifiers: row.identifiers.map((i) => ({ type: i.type, hash: i.value, status: i.status })),
    user_data: row.user_data,
    properties: row.properties,
    context: row.context,
    consent: row.consent,
    emq,
    band: emq === null ? null : emqBand(emq),
    emq_breakdown: row.emq_breakdown,
    warnings: row.warnings,
  }
}
