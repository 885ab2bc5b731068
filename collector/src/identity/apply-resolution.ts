import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema'
import type { ResolvableEvent } from './resolvable-event'
import { type IdentityState, keyOf } from './identity-state'
import type { ResolutionPlan } from './plan-resolution'

/** An identifier's last-seen time is kept to the minute (collector/docs/identity-resolution.md). */
const LAST_SEEN_STEP_MS = 60_000

/**
 * Writes a resolution plan in a bounded number of statements, whatever the
 * batch size: new profiles, merges (folded aggregates, `merged_into`,
 * re-pointed identifiers and sessions, the append-only merge log), new
 * identifiers, shared flags, G4 links and identifiers' last-seen times.
 * `owners` is the state the plan was made from (and has updated): what it
 * knows of each identifier's last-seen time spares rewriting the rows that
 * need no new one.
 *
 * @example
 * await applyResolution(trx, tenantId, plan, events, receivedAt, state.owners)
 */
export async function applyResolution(
  trx: Transaction<Database>,
  tenantId: string,
  plan: ResolutionPlan,
  events: readonly ResolvableEvent[],
  receivedAt: Date,
  owners: IdentityState['owners'],
): Promise<void> {
  // Fixed-text statements with one array per column (collector/docs/pipeline.md, "Prepared statements").
  // Booleans travel as text: postgres.js would declare an array of JS booleans a scalar boolean.
  if (plan.newProfiles.length > 0) {
    await sql`INSERT INTO profiles (tenant_id, id) SELECT ${tenantId}, id FROM unnest(${plan.newProfiles}::uuid[]) AS id`.execute(trx)
  }
  if (plan.merges.length > 0) await applyMerges(trx, tenantId, plan)
  const ids = plan.newIdentifiers
  if (ids.length > 0) {
    await sql`
      INSERT INTO identifiers (tenant_id, type, hash, profile_id, is_role, is_shared, first_seen_at, last_seen_at)
      SELECT ${tenantId}, u.type, u.hash, u.profile_id, u.is_role, u.is_shared, u.seen_at, u.seen_at
      FROM unnest(${ids.map((i) => i.type)}::text[], ${ids.map((i) => i.hash)}::text[], ${ids.map((i) => i.profileId)}::uuid[],
        ${ids.map((i) => String(i.role))}::boolean[], ${ids.map((i) => String(i.shared))}::boolean[], ${ids.map((i) => i.seenAt.toISOString())}::timestamptz[])
        AS u(type, hash, profile_id, is_role, is_shared, seen_at)
    `.execute(trx)
  }
  const links = plan.newLinks
  if (links.length > 0) {
    await sql`
      INSERT INTO identifier_links (tenant_id, weak_type, weak_hash, strong_type, strong_hash)
      SELECT ${tenantId}, u.weak_type, u.weak_hash, u.strong_type, u.strong_hash
      FROM unnest(${links.map((l) => l.weakType)}::text[], ${links.map((l) => l.weakHash)}::text[],
        ${links.map((l) => l.strongType)}::text[], ${links.map((l) => l.strongHash)}::text[]) AS u(weak_type, weak_hash, strong_type, strong_hash)
      ON CONFLICT DO NOTHING
    `.execute(trx)
  }
  await touchIdentifiers(trx, tenantId, plan, events, receivedAt, owners)
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

/**
 * Moves `last_seen_at` forward and sets G4's shared flag on identifiers the
 * round used. An identifier's last-seen time is kept to the minute: a
 * returning visitor's ids are rewritten once a minute at most, not once per
 * event. Which rows need it is decided here, from the loaded state — the
 * round holds the identifiers' locks, so the stored times are the ones it
 * read — and the statement carries only those rows.
 */
async function touchIdentifiers(
  trx: Transaction<Database>,
  tenantId: string,
  plan: ResolutionPlan,
  events: readonly ResolvableEvent[],
  receivedAt: Date,
  owners: IdentityState['owners'],
) {
  const seen = new Map<string, { type: string; hash: string; at: number; shared: boolean }>()
  for (const event of events) {
    const at = Math.min(event.eventTime.getTime(), receivedAt.getTime())
    for (const i of event.identifiers) {
      if (i.status !== 'valid') continue
      const key = keyOf(i.type, i.value)
      const entry = seen.get(key)
      if (!entry || entry.at < at) seen.set(key, { type: i.type, hash: i.value, at, shared: false })
    }
  }
  for (const key of plan.newlyShared) {
    const entry = seen.get(key)
    if (entry) entry.shared = true
  }
  const rows = [...seen].flatMap(([key, entry]) => {
    const lastSeenAt = owners.get(key)?.lastSeenAt ?? -Infinity
    return entry.shared || entry.at >= lastSeenAt + LAST_SEEN_STEP_MS ? [entry] : []
  })
  if (rows.length === 0) return
  // `= ANY` on both key columns lets each row be found through the primary key, never by joining the tenant's table.
  await sql`
    UPDATE identifiers AS i SET last_seen_at = greatest(i.last_seen_at, d.at), is_shared = i.is_shared OR d.shared
    FROM unnest(${rows.map((e) => e.type)}::text[], ${rows.map((e) => e.hash)}::text[],
      ${rows.map((e) => new Date(e.at).toISOString())}::timestamptz[], ${rows.map((e) => String(e.shared))}::boolean[]) AS d(type, hash, at, shared)
    WHERE i.tenant_id = ${tenantId} AND i.type = ANY(${[...new Set(rows.map((e) => e.type))]}::text[])
      AND i.hash = ANY(${rows.map((e) => e.hash)}::text[]) AND i.type = d.type AND i.hash = d.hash
  `.execute(trx)
}
