import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema'
import { addAmount } from './purchase-amount'

/** What aggregates need of a stored event. */
export interface AggregatedEvent {
  key: number
  eventName: string
  eventTime: Date
  sessionId: string | null
  /** A Purchase's value in a valid currency. */
  amount: { currency: string; value: number } | null
  /** Sent with server trust: its Purchase is confirmed, a browser's only claimed. */
  confirmed: boolean
}

/** What a batch adds to one profile. */
interface ProfileDelta {
  id: string
  events: number
  purchases: number
  revenue: Record<string, number>
  claimed_purchases: number
  claimed_revenue: Record<string, number>
  first_seen: string | null
  last_seen: string | null
  known: boolean
}

/**
 * Adds resolved events to their profiles' aggregates in two statements:
 * sessions are counted through `profile_sessions` (so a session is counted
 * once however many events it has), everything else in one UPDATE fed by a
 * JSON recordset. First/last seen come from `event_time` and ignore
 * future-dated events; the lifecycle only moves forward. Purchases sent
 * with server trust count as `purchases_count` and `revenue` and make a
 * `customer`; a browser's only as `claimed_purchases_count` and
 * `claimed_revenue` (`collector/docs/trust-boundary.md`). The UPDATE finds
 * each profile by primary key (`= ANY`), never by joining the tenant's
 * whole table.
 *
 * @example
 * await updateAggregates(trx, tenantId, resolved, profileOf, knownProfiles, new Date())
 */
export async function updateAggregates(
  trx: Transaction<Database>,
  tenantId: string,
  events: readonly AggregatedEvent[],
  profileOf: Map<number, string>,
  knownProfiles: Set<string>,
  receivedAt: Date,
): Promise<void> {
  if (events.length === 0) return
  const deltas = new Map<string, ProfileDelta>()
  const sessions = { profiles: [] as string[], ids: [] as string[] }
  for (const event of events) {
    const id = profileOf.get(event.key)!
    let delta = deltas.get(id)
    if (!delta) {
      delta = {
        id,
        events: 0,
        purchases: 0,
        revenue: {},
        claimed_purchases: 0,
        claimed_revenue: {},
        first_seen: null,
        last_seen: null,
        known: knownProfiles.has(id),
      }
      deltas.set(id, delta)
    }
    delta.events++
    if (event.eventName === 'Purchase') delta[event.confirmed ? 'purchases' : 'claimed_purchases']++
    const { amount } = event
    if (amount) addAmount(event.confirmed ? delta.revenue : delta.claimed_revenue, amount.currency, amount.value)
    if (event.eventTime <= receivedAt) {
      const at = event.eventTime.toISOString()
      if (!delta.first_seen || at < delta.first_seen) delta.first_seen = at
      if (!delta.last_seen || at > delta.last_seen) delta.last_seen = at
    }
    if (event.sessionId) {
      sessions.profiles.push(id)
      sessions.ids.push(event.sessionId)
    }
  }

  const newSessions = new Map<string, number>()
  if (sessions.ids.length > 0) {
    const { rows: inserted } = await sql<{ profile_id: string }>`
      INSERT INTO profile_sessions (tenant_id, profile_id, session_id)
      SELECT ${tenantId}, u.profile_id, u.session_id FROM unnest(${sessions.profiles}::uuid[], ${sessions.ids}::text[]) AS u(profile_id, session_id)
      ON CONFLICT DO NOTHING RETURNING profile_id
    `.execute(trx)
    for (const row of inserted) newSessions.set(row.profile_id, (newSessions.get(row.profile_id) ?? 0) + 1)
  }

  const rows = [...deltas.values()].map((d) => ({ ...d, sessions: newSessions.get(d.id) ?? 0 }))
  await sql`
    UPDATE profiles AS p SET
      events_count = p.events_count + d.events,
      sessions_count = p.sessions_count + d.sessions,
      purchases_count = p.purchases_count + d.purchases,
      revenue = CASE WHEN d.revenue = '{}' THEN p.revenue ELSE stratum_sum_revenue(ARRAY[p.revenue, d.revenue]) END,
      claimed_purchases_count = p.claimed_purchases_count + d.claimed_purchases,
      claimed_revenue = CASE WHEN d.claimed_revenue = '{}' THEN p.claimed_revenue
        ELSE stratum_sum_revenue(ARRAY[p.claimed_revenue, d.claimed_revenue]) END,
      first_seen_at = least(p.first_seen_at, d.first_seen),
      last_seen_at = greatest(p.last_seen_at, d.last_seen),
      lifecycle_stage = CASE
        WHEN p.lifecycle_stage = 'customer' OR p.purchases_count + d.purchases > 0 THEN 'customer'
        WHEN p.lifecycle_stage = 'known' OR d.known THEN 'known'
        ELSE 'anonymous' END,
      updated_at = now()
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS d(
      id uuid, events int, sessions int, purchases int, revenue jsonb, claimed_purchases int, claimed_revenue jsonb,
      first_seen timestamptz, last_seen timestamptz, known boolean)
    WHERE p.tenant_id = ${tenantId} AND p.id = ANY(${rows.map((r) => r.id)}::uuid[]) AND p.id = d.id
  `.execute(trx)
}
