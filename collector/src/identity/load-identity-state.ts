import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema'
import type { ResolvableIdentifier } from './resolvable-event'
import { lockIdentifiers } from './lock-identifiers'
import { emptyLinks, emptyProfile, getOrCreate, type IdentityState, keyOf, STRONG_TYPES, WEAK_TYPES } from './identity-state'

/** Bounded: a concurrent merge can move an owner at most a few times while we wait. */
const MAX_FOLLOW_ROUNDS = 5

/**
 * Loads what resolution needs, concurrency-safely:
 * 1. advisory locks on every identifier of the batch (`lockIdentifiers`);
 * 2. the owners of those identifiers;
 * 3. row locks on the owner profiles (`FOR UPDATE`, sorted), following
 *    `merged_into` when another transaction merged one away meanwhile;
 * 4. only then the identifiers those profiles hold, and the G4 links.
 *
 * @example
 * const state = await loadIdentityState(trx, tenantId, identifiers)
 */
export async function loadIdentityState(
  trx: Transaction<Database>,
  tenantId: string,
  identifiers: readonly ResolvableIdentifier[],
): Promise<IdentityState> {
  const state: IdentityState = { owners: new Map(), profiles: new Map(), links: new Map() }
  if (identifiers.length === 0) return state
  const types = identifiers.map((i) => i.type)
  const hashes = identifiers.map((i) => i.value)
  // `= ANY` on the key columns makes every lookup an index probe, never a join over the tenant's table.
  const distinctTypes = [...new Set(types)]
  await lockIdentifiers(trx, tenantId, identifiers)

  const owners = await sql<{ type: string; hash: string; profile_id: string; is_shared: boolean; is_role: boolean; last_seen_at: Date }>`
    SELECT i.type, i.hash, i.profile_id, i.is_shared, i.is_role, i.last_seen_at FROM identifiers AS i
    JOIN unnest(${types}::text[], ${hashes}::text[]) AS wanted(type, hash)
      ON i.tenant_id = ${tenantId} AND i.type = wanted.type AND i.hash = wanted.hash
    WHERE i.tenant_id = ${tenantId} AND i.type = ANY(${distinctTypes}::text[]) AND i.hash = ANY(${hashes}::text[])
  `.execute(trx)
  for (const row of owners.rows) {
    state.owners.set(keyOf(row.type, row.hash), {
      profileId: row.profile_id,
      shared: row.is_shared,
      role: row.is_role,
      lastSeenAt: new Date(row.last_seen_at).getTime(),
    })
  }

  let pending = [...new Set(owners.rows.map((r) => r.profile_id))]
  for (let round = 0; pending.length > 0 && round < MAX_FOLLOW_ROUNDS; round++) {
    const locked = await sql<{ id: string; merged_into: string | null; first_seen_at: Date | null }>`
      SELECT id, merged_into, first_seen_at FROM profiles
      WHERE tenant_id = ${tenantId} AND id = ANY(${pending}::uuid[]) ORDER BY id FOR UPDATE
    `.execute(trx)
    pending = []
    for (const row of locked.rows) {
      const profile = emptyProfile(row.id, false, row.first_seen_at?.getTime() ?? null)
      state.profiles.set(row.id, profile)
      if (row.merged_into) {
        profile.mergedInto = row.merged_into
        if (!state.profiles.has(row.merged_into)) pending.push(row.merged_into)
      }
    }
  }

  const live = [...state.profiles.values()].filter((p) => !p.mergedInto).map((p) => p.id)
  const [held, links] = await Promise.all([
    sql<{ profile_id: string; type: string; hash: string }>`
      SELECT profile_id, type, hash FROM identifiers WHERE tenant_id = ${tenantId} AND profile_id = ANY(${live}::uuid[])
    `.execute(trx),
    sql<{ weak_type: string; weak_hash: string; strong_type: 'email' | 'external_id'; strong_hash: string }>`
      SELECT l.weak_type, l.weak_hash, l.strong_type, l.strong_hash FROM identifier_links AS l
      JOIN unnest(${types}::text[], ${hashes}::text[]) AS wanted(type, hash)
        ON l.tenant_id = ${tenantId} AND l.weak_type = wanted.type AND l.weak_hash = wanted.hash
      WHERE l.tenant_id = ${tenantId} AND l.weak_type = ANY(${distinctTypes}::text[]) AND l.weak_hash = ANY(${hashes}::text[])
    `.execute(trx),
  ])
  for (const row of held.rows) {
    const profile = state.profiles.get(row.profile_id)!
    profile.counts.set(row.type, (profile.counts.get(row.type) ?? 0) + 1)
    if (STRONG_TYPES.has(row.type)) getOrCreate(profile.strong, row.type, () => new Set<string>()).add(row.hash)
  }
  for (const row of links.rows) {
    if (!WEAK_TYPES.has(row.weak_type)) continue
    const key = keyOf(row.weak_type, row.weak_hash)
    getOrCreate(state.links, key, emptyLinks)[row.strong_type].add(row.strong_hash)
  }
  return state
}
