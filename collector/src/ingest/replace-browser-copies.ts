import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema'
import { addAmount, purchaseAmount } from '../resolver/purchase-amount'

/** What a removed browser copy had added to its profile. */
interface TakeBack {
  id: string
  events: number
  claimed_purchases: number
  /** Negative amounts: summed with the profile's claimed revenue, they take it back. */
  claimed_revenue: Record<string, number>
}

/**
 * Makes room for backend events that take over ids a browser claimed first
 * (Meta-style pixel + Conversions API deduplication, see
 * `collector/docs/trust-boundary.md`): the claims pass to the server, the
 * browser's copies leave `events`, and what they added to their profiles —
 * one event, and a Purchase's claimed count and revenue — is taken back
 * from those profiles' survivors, so each pair counts once: as the backend's
 * event, which the caller then stores like any new one. Sessions and
 * first/last seen times stay: the browser was there.
 *
 * @example
 * await replaceBrowserCopies(trx, tenantId, new Map([[event, browserEventTime]]), receivedAt)
 */
export async function replaceBrowserCopies(
  trx: Transaction<Database>,
  tenantId: string,
  takeovers: ReadonlyMap<{ eventId: string; eventTime: Date }, Date>,
  receivedAt: Date,
): Promise<void> {
  const claims = [...takeovers].map(([event, browserTime]) => ({
    event_id: event.eventId,
    event_time: event.eventTime.toISOString(),
    browser_time: browserTime.toISOString(),
  }))
  // The keys were locked when claimed (`claimEventIds`): a resolver round holding them has committed, and
  // the key's profile says whether the copy was counted. A copy still pending added nothing to a profile yet.
  const { rows: removed } = await sql<{ profile_id: string | null; event_name: string; properties: Record<string, unknown> }>`
    DELETE FROM events AS e USING jsonb_to_recordset(${JSON.stringify(claims)}::jsonb) AS d(event_id uuid, browser_time timestamptz),
      event_keys AS k
    WHERE e.tenant_id = ${tenantId} AND e.event_id = d.event_id AND e.event_time = d.browser_time
      AND k.tenant_id = e.tenant_id AND k.event_id = e.event_id
    RETURNING k.profile_id, e.event_name, e.properties
  `.execute(trx)
  // The backend's copy is pending again, at the end of the arrival order.
  await sql`
    UPDATE event_keys AS k SET trust = 'server', event_time = d.event_time, received_at = ${receivedAt},
      profile_id = NULL, seq = nextval('events_seq')
    FROM jsonb_to_recordset(${JSON.stringify(claims)}::jsonb) AS d(event_id uuid, event_time timestamptz)
    WHERE k.tenant_id = ${tenantId} AND k.event_id = d.event_id
  `.execute(trx)
  const counted = removed.filter((row): row is typeof row & { profile_id: string } => row.profile_id !== null)
  if (counted.length > 0) await takeBack(trx, tenantId, counted)
}

async function takeBack(
  trx: Transaction<Database>,
  tenantId: string,
  removed: Array<{ profile_id: string; event_name: string; properties: Record<string, unknown> }>,
) {
  const byProfile = new Map<string, TakeBack>()
  for (const row of removed) {
    const entry = byProfile.get(row.profile_id) ?? { id: row.profile_id, events: 0, claimed_purchases: 0, claimed_revenue: {} }
    byProfile.set(row.profile_id, entry)
    entry.events++
    if (row.event_name === 'Purchase') entry.claimed_purchases++
    const amount = purchaseAmount(row.event_name, row.properties)
    if (amount) addAmount(entry.claimed_revenue, amount.currency, -amount.value)
  }
  // The copy's profile may have been merged since: its figures live on in the survivor.
  await sql`
    WITH RECURSIVE taken AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify([...byProfile.values()])}::jsonb)
        AS t(id uuid, events int, claimed_purchases int, claimed_revenue jsonb)
    ), chain(start, id, merged_into, depth) AS (
      SELECT p.id, p.id, p.merged_into, 0 FROM profiles AS p JOIN taken AS t ON p.tenant_id = ${tenantId} AND p.id = t.id
      UNION ALL
      SELECT c.start, p.id, p.merged_into, c.depth + 1 FROM profiles AS p
      JOIN chain AS c ON p.tenant_id = ${tenantId} AND p.id = c.merged_into WHERE c.depth < 100
    ), survivor AS (
      SELECT c.id, sum(t.events)::int AS events, sum(t.claimed_purchases)::int AS claimed_purchases,
        array_agg(t.claimed_revenue) AS revenues
      FROM chain AS c JOIN taken AS t ON t.id = c.start WHERE c.merged_into IS NULL GROUP BY c.id
    )
    UPDATE profiles AS p SET
      events_count = greatest(p.events_count - s.events, 0),
      claimed_purchases_count = greatest(p.claimed_purchases_count - s.claimed_purchases, 0),
      claimed_revenue = (
        SELECT coalesce(jsonb_object_agg(r.key, r.value) FILTER (WHERE r.value::numeric <> 0), '{}')
        FROM jsonb_each(stratum_sum_revenue(s.revenues || p.claimed_revenue)) AS r
      ),
      updated_at = now()
    FROM survivor AS s
    WHERE p.tenant_id = ${tenantId} AND p.id = s.id
  `.execute(trx)
}
