import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema'
import type { ResolvableEvent } from './resolvable-event'
import type { ResolutionPlan } from './plan-resolution'

/**
 * Writes a resolution plan in a bounded number of statements, whatever the
 * batch size: new profiles, merges (folded aggregates, `merged_into`,
 * re-pointed identifiers and sessions, the append-only merge log), new
 * identifiers, shared flags, G4 links and identifiers' last-seen times.
 *
 * @example
 * await applyResolution(trx, tenantId, plan, events, receivedAt)
 */
export async function applyResolution(
  trx: Transaction<Database>,
  tenantId: string,
  plan: ResolutionPlan,
  events: readonly ResolvableEvent[],
  receivedAt: Date,
): Promise<void> {
  if (plan.newProfiles.length > 0) {
    await trx.insertInto('profiles').values(plan.newProfiles.map((id) => ({ tenant_id: tenantId, id }))).execute()
  }
  if (plan.merges.length > 0) await applyMerges(trx, tenantId, plan)
  if (plan.newIdentifiers.length > 0) {
    await trx
      .insertInto('identifiers')
      .values(
        plan.newIdentifiers.map((i) => ({
          tenant_id: tenantId,
          type: i.type,
          hash: i.hash,
          profile_id: i.profileId,
          is_role: i.role,
          is_shared: i.shared,
          first_seen_at: i.seenAt,
          last_seen_at: i.seenAt,
        })),
      )
      .execute()
  }
  if (plan.newLinks.length > 0) {
    await trx
      .insertInto('identifier_links')
      .values(
        plan.newLinks.map((l) => ({
          tenant_id: tenantId,
          weak_type: l.weakType,
          weak_hash: l.weakHash,
          strong_type: l.strongType,
          strong_hash: l.strongHash,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute()
  }
  await touchIdentifiers(trx, tenantId, plan, events, receivedAt)
}

/** Folds each loser into its final survivor and records the merge. */
async function applyMerges(trx: Transaction<Database>, tenantId: string, plan: ResolutionPlan) {
  const winnerOf = new Map(plan.merges.map((m) => [m.loser, m.winner]))
  const finalOf = (id: string) => {
    let current = id
    while (winnerOf.has(current)) current = winnerOf.get(current)!
    return current
  }
  const pairs = JSON.stringify(plan.merges.map((m) => ({ winner: finalOf(m.loser), loser: m.loser })))
  // The survivor takes each loser's aggregates as they stood: every event
  // belongs to exactly one profile, so sums never double-count.
  await sql`
    UPDATE profiles AS w SET
      events_count = w.events_count + f.events,
      purchases_count = w.purchases_count + f.purchases,
      revenue = stratum_sum_revenue(f.revenues || w.revenue),
      claimed_purchases_count = w.claimed_purchases_count + f.claimed_purchases,
      claimed_revenue = stratum_sum_revenue(f.claimed_revenues || w.claimed_revenue),
      first_seen_at = least(w.first_seen_at, f.first_seen),
      last_seen_at = greatest(w.last_seen_at, f.last_seen),
      lifecycle_stage = CASE
        WHEN w.lifecycle_stage = 'customer' OR f.customer THEN 'customer'
        WHEN w.lifecycle_stage = 'known' OR f.known THEN 'known'
        ELSE 'anonymous' END,
      marketing_denied = w.marketing_denied OR f.marketing_denied,
      updated_at = now()
    FROM (
      SELECT d.winner, sum(l.events_count)::int AS events, sum(l.purchases_count)::int AS purchases,
        array_agg(l.revenue) AS revenues, sum(l.claimed_purchases_count)::int AS claimed_purchases,
        array_agg(l.claimed_revenue) AS claimed_revenues, min(l.first_seen_at) AS first_seen, max(l.last_seen_at) AS last_seen,
        bool_or(l.lifecycle_stage = 'customer') AS customer, bool_or(l.lifecycle_stage <> 'anonymous') AS known,
        bool_or(l.marketing_denied) AS marketing_denied
      FROM jsonb_to_recordset(${pairs}::jsonb) AS d(winner uuid, loser uuid)
      JOIN profiles AS l ON l.tenant_id = ${tenantId} AND l.id = d.loser
      GROUP BY d.winner
    ) AS f
    WHERE w.tenant_id = ${tenantId} AND w.id = f.winner
  `.execute(trx)
  await sql`
    UPDATE profiles AS l SET merged_into = d.winner, updated_at = now()
    FROM jsonb_to_recordset(${pairs}::jsonb) AS d(winner uuid, loser uuid)
    WHERE l.tenant_id = ${tenantId} AND l.id = d.loser
  `.execute(trx)
  await sql`
    UPDATE identifiers AS i SET profile_id = d.winner
    FROM jsonb_to_recordset(${pairs}::jsonb) AS d(winner uuid, loser uuid)
    WHERE i.tenant_id = ${tenantId} AND i.profile_id = d.loser
  `.execute(trx)
  // A session seen on both sides is one session: move, dedupe, recount.
  await sql`
    WITH moved AS (
      DELETE FROM profile_sessions AS s USING jsonb_to_recordset(${pairs}::jsonb) AS d(winner uuid, loser uuid)
      WHERE s.tenant_id = ${tenantId} AND s.profile_id = d.loser
      RETURNING d.winner, s.session_id
    )
    INSERT INTO profile_sessions (tenant_id, profile_id, session_id)
    SELECT ${tenantId}, winner, session_id FROM moved ON CONFLICT DO NOTHING
  `.execute(trx)
  await sql`
    UPDATE profiles AS w SET sessions_count = (
      SELECT count(*) FROM profile_sessions AS s WHERE s.tenant_id = ${tenantId} AND s.profile_id = w.id)
    WHERE w.tenant_id = ${tenantId} AND w.id IN (SELECT (x ->> 'winner')::uuid FROM jsonb_array_elements(${pairs}::jsonb) AS x)
  `.execute(trx)
  await trx
    .insertInto('profile_merges')
    .values(
      plan.merges.map((m) => ({
        tenant_id: tenantId,
        winner_id: m.winner,
        loser_id: m.loser,
        rule: m.rule,
        event_id: m.eventId,
        identifier_type: m.identifierType,
      })),
    )
    .execute()
}

/** Moves `last_seen_at` forward and sets G4's shared flag on identifiers the batch used. */
async function touchIdentifiers(
  trx: Transaction<Database>,
  tenantId: string,
  plan: ResolutionPlan,
  events: readonly ResolvableEvent[],
  receivedAt: Date,
) {
  const seen = new Map<string, { type: string; hash: string; at: number; shared: boolean }>()
  for (const event of events) {
    const at = Math.min(event.eventTime.getTime(), receivedAt.getTime())
    for (const i of event.identifiers) {
      if (i.status !== 'valid') continue
      const key = `${i.type}\u0000${i.value}`
      const entry = seen.get(key)
      if (!entry || entry.at < at) seen.set(key, { type: i.type, hash: i.value, at, shared: false })
    }
  }
  for (const key of plan.newlyShared) {
    const entry = seen.get(key)
    if (entry) entry.shared = true
  }
  if (seen.size === 0) return
  const rows = JSON.stringify([...seen.values()].map((e) => ({ ...e, at: new Date(e.at).toISOString() })))
  await sql`
    UPDATE identifiers AS i SET last_seen_at = greatest(i.last_seen_at, d.at), is_shared = i.is_shared OR d.shared
    FROM jsonb_to_recordset(${rows}::jsonb) AS d(type text, hash text, at timestamptz, shared boolean)
    WHERE i.tenant_id = ${tenantId} AND i.type = d.type AND i.hash = d.hash
  `.execute(trx)
}
