import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema'
import { withTenant } from '../db/with-tenant'
import { lockTenant } from '../identity/lock-identifiers'
import { resolveIdentities } from '../identity/resolve-identities'
import { findDeniedProfiles } from '../privacy/consent-state'
import { findSuppressedEvents } from '../privacy/suppression'
import { loadPendingEvents, type PendingEvent } from './pending-events'
import { dropEvents, settleEvents } from './settle-events'
import { updateAggregates } from './update-aggregates'

/**
 * What one round did: `busy` when another resolver holds the tenant's lease.
 * `lagMs`: how long the oldest event the round took had waited for it.
 */
export type RoundOutcome = { status: 'busy' } | { status: 'done' | 'more'; resolved: number; suppressed: number; lagMs: number }

/**
 * One resolution round for one tenant, in one transaction
 * (collector/docs/pipeline.md):
 * 1. the lease — a non-blocking advisory lock per tenant — so that one
 *    resolver at a time, in any collector process, works on a tenant;
 *    then the tenant's identity lock, exclusively, which consent and erasure
 *    wait on;
 * 2. the next `limit` pending events in arrival order;
 * 3. events carrying an erased identifier are set aside before anything
 *    reaches a profile; the rest are resolved in order (G1–G5, merges and
 *    the merge log);
 * 4. events of a person whose analytics denial their trust must honour are
 *    dropped; the rest get their profile, and their profiles' aggregates.
 * A crash anywhere rolls the round back: the events stay pending and the
 * next round takes them again, so nothing is lost or counted twice.
 *
 * @example
 * const outcome = await resolvePending(db, tenantId, 2000) // { status: 'done', resolved: 12, suppressed: 0, lagMs: 40 }
 */
export function resolvePending(db: Kysely<Database>, tenantId: string, limit: number): Promise<RoundOutcome> {
  return withTenant(db, tenantId, async (trx): Promise<RoundOutcome> => {
    // Plans made for each statement's own arrays: a generic plan assumes ten
    // elements and loops over a round's thousands. And no JIT: a round's
    // statements are index probes that take milliseconds, and compiling one
    // that the planner overestimated took a quarter of a second
    // (collector/docs/pipeline.md, "Plans").
    const { rows } = await sql<{ leased: boolean }>`
      SELECT pg_try_advisory_xact_lock(hashtextextended(${`stratum:resolver:${tenantId}`}, 0)) AS leased,
        set_config('plan_cache_mode', 'force_custom_plan', true) AS planned_per_round,
        set_config('jit', 'off', true) AS compiled_never
    `.execute(trx)
    if (!rows[0]?.leased) return { status: 'busy' }
    await lockTenant(trx, tenantId)
    const pending = await loadPendingEvents(trx, tenantId, limit)
    const now = new Date()
    if (pending.length === 0) return { status: 'done', resolved: 0, suppressed: 0, lagMs: 0 }
    const lagMs = Math.max(0, now.getTime() - pending[0]!.receivedAt.getTime())
    const erased = await findSuppressedEvents(trx, tenantId, pending)
    const live = pending.filter((e) => !erased.has(e.key))
    const plan = await resolveIdentities(trx, tenantId, live, now)
    const denied = await findDeniedEvents(trx, tenantId, live, plan.profileOf)
    const kept = live.filter((e) => !denied.has(e.key))
    const dropped = pending.filter((e) => erased.has(e.key) || denied.has(e.key))
    await dropEvents(trx, tenantId, dropped)
    await settleEvents(trx, tenantId, kept, plan.profileOf, plan.warnings)
    await updateAggregates(trx, tenantId, kept, plan.profileOf, plan.knownProfiles, now)
    return { status: pending.length < limit ? 'done' : 'more', resolved: kept.length, suppressed: dropped.length, lagMs }
  })
}

/** Events whose person denies analytics at a level their trust honours (collector/docs/trust-boundary.md). */
async function findDeniedEvents(
  trx: Parameters<typeof findDeniedProfiles>[0],
  tenantId: string,
  events: readonly PendingEvent[],
  profileOf: ReadonlyMap<number, string>,
): Promise<Set<number>> {
  const denied = new Set<number>()
  for (const trust of ['server', 'browser'] as const) {
    const mine = events.filter((e) => e.trust === trust)
    if (mine.length === 0) continue
    const profiles = await findDeniedProfiles(trx, tenantId, mine.map((e) => profileOf.get(e.key)!), 'analytics', trust)
    for (const e of mine) if (profiles.has(profileOf.get(e.key)!)) denied.add(e.key)
  }
  return denied
}
