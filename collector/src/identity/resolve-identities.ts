import type { Transaction } from 'kysely'
import type { Database } from '../db/schema'
import { applyResolution } from './apply-resolution'
import { loadIdentityState } from './load-identity-state'
import { planResolution, type ResolutionPlan } from './plan-resolution'
import type { ResolvableEvent } from './resolvable-event'

/**
 * Resolves events into profiles inside the caller's transaction
 * (collector/docs/identity-resolution.md): locks and loads the identity
 * state set-wise, plans every event in order in memory, then writes the
 * plan — a bounded number of round trips per call, not per identifier.
 * The caller has already set aside what must not be resolved at all (an
 * erased identifier, see `findSuppressedEvents`).
 *
 * @example
 * const { profileOf, warnings } = await resolveIdentities(trx, tenantId, events, new Date())
 */
export async function resolveIdentities(
  trx: Transaction<Database>,
  tenantId: string,
  events: readonly ResolvableEvent[],
  receivedAt: Date,
): Promise<ResolutionPlan> {
  const usable = events.flatMap((e) => e.identifiers.filter((i) => i.status === 'valid'))
  const state = await loadIdentityState(trx, tenantId, usable)
  const plan = planResolution(state, events, { newId: () => crypto.randomUUID(), receivedAt })
  await applyResolution(trx, tenantId, plan, events, receivedAt, state.owners)
  return plan
}
