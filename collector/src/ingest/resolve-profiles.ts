import type { Transaction } from 'kysely'
import type { Database } from '../db/schema'
import { applyResolution } from '../identity/apply-resolution'
import { loadIdentityState } from '../identity/load-identity-state'
import { planResolution, type ResolutionPlan } from '../identity/plan-resolution'
import { findSuppressedEvents } from '../privacy/suppression'
import type { PreparedEvent } from './prepare-event'

/** Where each event of a batch landed, and what resolution decided on the way. */
export type Resolution = Pick<ResolutionPlan, 'profileOf' | 'knownProfiles' | 'blocked' | 'merges'> & {
  /** Indexes of events carrying an erased (suppressed) identifier: not resolved, not stored. */
  suppressed: Set<number>
}

/**
 * Resolves a batch's events into profiles (spec §4) inside the caller's
 * transaction: locks and loads the identity state set-wise, sets aside
 * events carrying an erased identifier, plans every other event in order in
 * memory, then writes the plan — a bounded number of
 * round trips per batch, not per identifier.
 *
 * @example
 * const { profileOf } = await resolveProfiles(trx, tenantId, events, receivedAt, { browser: true })
 */
export async function resolveProfiles(
  trx: Transaction<Database>,
  tenantId: string,
  events: PreparedEvent[],
  receivedAt: Date,
  options: { browser: boolean } = { browser: false },
): Promise<Resolution> {
  const usable = events.flatMap((e) => e.identifiers.filter((i) => i.status === 'valid'))
  const state = await loadIdentityState(trx, tenantId, usable)
  // Checked under the identifier locks, so an erasure committing meanwhile is never missed.
  const suppressed = await findSuppressedEvents(trx, tenantId, events)
  const kept = suppressed.size > 0 ? events.filter((e) => !suppressed.has(e.index)) : events
  const plan = planResolution(state, kept, { browser: options.browser, newId: () => crypto.randomUUID(), receivedAt })
  await applyResolution(trx, tenantId, plan, kept, receivedAt)
  return { ...plan, suppressed }
}
