import type { Transaction } from 'kysely'
import type { Database } from '../db/schema'
import { applyResolution } from '../identity/apply-resolution'
import { loadIdentityState } from '../identity/load-identity-state'
import { planResolution, type ResolutionPlan } from '../identity/plan-resolution'
import type { PreparedEvent } from './prepare-event'

/** Where each event of a batch landed, and what resolution decided on the way. */
export type Resolution = Pick<ResolutionPlan, 'profileOf' | 'knownProfiles' | 'blocked' | 'merges'>

/**
 * Resolves a batch's events into profiles (spec §4) inside the caller's
 * transaction: locks and loads the identity state set-wise, plans every
 * event in order in memory, then writes the plan — a bounded number of
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
  const plan = planResolution(state, events, { browser: options.browser, newId: () => crypto.randomUUID(), receivedAt })
  await applyResolution(trx, tenantId, plan, events, receivedAt)
  return plan
}
