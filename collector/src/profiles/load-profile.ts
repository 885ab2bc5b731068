import { sql, type Transaction } from 'kysely'
import type { Database, LifecycleStage } from '../db/schema'
import { loadProfileTraits } from './load-profile-traits'

/** A profile as the API returns it: identifiers as type + hash, never raw. */
export interface ProfileView {
  id: string
  /** Set when the requested id was merged away: the id asked for. */
  requested_id?: string
  merged: boolean
  lifecycle_stage: LifecycleStage
  events_count: number
  sessions_count: number
  /** Purchases confirmed with server trust (a JWT or a secret key). */
  purchases_count: number
  revenue: Record<string, number>
  /** Purchases only a browser reported (a public source key): shown apart, never counted above. */
  claimed_purchases_count: number
  claimed_revenue: Record<string, number>
  first_seen_at: string | null
  last_seen_at: string | null
  marketing_denied: boolean
  created_at: string
  identifiers: Array<{ type: string; hash: string; first_seen_at: string; last_seen_at: string; shared: boolean; role: boolean }>
  merged_from: string[]
  /** The latest value of each trait Segment `identify` calls set (`collector/docs/segment.md`). */
  traits: Record<string, unknown>
}

/**
 * Loads a profile by id, following `merged_into` to the surviving profile
 * (which says so with `merged: true` and `requested_id`), with its
 * identifiers and the ids of every profile merged into it.
 *
 * @example
 * const profile = await loadProfile(trx, tenantId, id) // null when unknown
 */
export async function loadProfile(trx: Transaction<Database>, tenantId: string, id: string): Promise<ProfileView | null> {
  const survivor = await survivorOf(trx, tenantId, id)
  if (!survivor) return null
  const [profile, identifiers, mergedFrom] = await Promise.all([
    trx.selectFrom('profiles').selectAll().where('tenant_id', '=', tenantId).where('id', '=', survivor).executeTakeFirstOrThrow(),
    trx
      .selectFrom('identifiers')
      .select(['type', 'hash', 'first_seen_at', 'last_seen_at', 'is_shared', 'is_role'])
      .where('tenant_id', '=', tenantId)
      .where('profile_id', '=', survivor)
      .orderBy('type')
      .orderBy('first_seen_at')
      .execute(),
    mergedInto(trx, tenantId, survivor),
  ])
  const traits = await loadProfileTraits(trx, tenantId, mergedFrom)
  return {
    id: profile.id,
    ...(survivor !== id ? { requested_id: id } : {}),
    merged: survivor !== id,
    lifecycle_stage: profile.lifecycle_stage,
    events_count: profile.events_count,
    sessions_count: profile.sessions_count,
    purchases_count: profile.purchases_count,
    revenue: amounts(profile.revenue),
    claimed_purchases_count: profile.claimed_purchases_count,
    claimed_revenue: amounts(profile.claimed_revenue),
    first_seen_at: profile.first_seen_at?.toISOString() ?? null,
    last_seen_at: profile.last_seen_at?.toISOString() ?? null,
    marketing_denied: profile.marketing_denied,
    created_at: profile.created_at.toISOString(),
    identifiers: identifiers.map((i) => ({
      type: i.type,
      hash: i.hash,
      first_seen_at: i.first_seen_at.toISOString(),
      last_seen_at: i.last_seen_at.toISOString(),
      shared: i.is_shared,
      role: i.is_role,
    })),
    merged_from: mergedFrom.filter((m) => m !== survivor),
    traits,
  }
}

/** A per-currency sum as JSON numbers (PostgreSQL's numeric sums may come back as text). */
function amounts(revenue: Record<string, number | string>): Record<string, number> {
  return Object.fromEntries(Object.entries(revenue).map(([k, v]) => [k, Number(v)]))
}

/** Follows `merged_into` from `id` to the surviving profile; null when `id` is unknown. */
export async function survivorOf(trx: Transaction<Database>, tenantId: string, id: string): Promise<string | null> {
  const { rows } = await sql<{ id: string }>`
    WITH RECURSIVE chain(id, merged_into, depth) AS (
      SELECT id, merged_into, 0 FROM profiles WHERE tenant_id = ${tenantId} AND id = ${id}
      UNION ALL
      SELECT p.id, p.merged_into, c.depth + 1 FROM profiles p JOIN chain c ON p.tenant_id = ${tenantId} AND p.id = c.merged_into
      WHERE c.depth < 100
    )
    SELECT id FROM chain WHERE merged_into IS NULL LIMIT 1
  `.execute(trx)
  return rows[0]?.id ?? null
}

/** The survivor itself and every profile merged into it, directly or through others. */
export async function mergedInto(trx: Transaction<Database>, tenantId: string, survivor: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    WITH RECURSIVE family(id, depth) AS (
      SELECT ${survivor}::uuid, 0
      UNION
      SELECT p.id, f.depth + 1 FROM profiles p JOIN family f ON p.tenant_id = ${tenantId} AND p.merged_into = f.id
      WHERE f.depth < 100
    )
    SELECT DISTINCT id FROM family
  `.execute(trx)
  return rows.map((r) => r.id)
}
