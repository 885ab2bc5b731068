import type { Transaction } from 'kysely'
import type { AuthContext } from '../auth/scopes'
import type { Database } from '../db/schema'
import { recordDeliveries } from '../destinations/record-deliveries'
import { applyTenantWindow } from './apply-tenant-window'
import { claimEventIds } from './claim-event-ids'
import type { EventRow } from './event-rows'
import { type AppendBatch, insertEvents } from './insert-events'
import type { Rejection } from './prepare-event'
import { replaceBrowserCopies } from './replace-browser-copies'

/** What one append transaction decided, event by event. */
export interface AppendOutcome {
  /** As stored: one that replaced a browser's copy of its id carries the warning `browser_copy_replaced`. */
  stored: EventRow[]
  duplicates: EventRow[]
  rejected: Rejection[]
}

const REPLACED = 'browser_copy_replaced'

/**
 * The durable append (collector/docs/pipeline.md), inside the caller's
 * short transaction: the tenant's own retention window, the event-id
 * claims (a replay is a duplicate, a backend takes over a browser's id),
 * then every claimed event in one prepared statement, and their pending
 * deliveries to the tenant's destinations (the Trust Engine's outbox). No identity lock is
 * taken: resolution happens after the answer. Pure with respect to its
 * input, so a retried transaction starts from the same rows.
 *
 * @example
 * const outcome = await withTenant(db, tenantId, (trx) => appendEvents(trx, auth, batch, rows))
 */
export async function appendEvents(
  trx: Transaction<Database>,
  auth: AuthContext,
  batch: AppendBatch,
  rows: readonly EventRow[],
): Promise<AppendOutcome> {
  const window = await applyTenantWindow(trx, auth.tenantId, rows, batch.receivedAt)
  const outcome: AppendOutcome = { stored: [], duplicates: [], rejected: window.rejected }
  if (window.kept.length === 0) return outcome
  const { claimed, takeovers } = await claimEventIds(trx, auth.tenantId, auth.trust, window.kept, batch.receivedAt)
  const isClaimed = new Set(claimed)
  outcome.duplicates = window.kept.filter((r) => !isClaimed.has(r))
  if (takeovers.size > 0) await replaceBrowserCopies(trx, auth.tenantId, takeovers, batch.receivedAt)
  // New rows, never the caller's: a retried transaction starts from the rows as they were.
  const stored = claimed.map((r) => (takeovers.has(r) ? { ...r, warnings: [...r.warnings, REPLACED] } : r))
  await insertEvents(trx, batch, stored)
  // The Trust Engine's outbox commits with the events (collector/docs/trust-engine.md).
  const outbox = stored.map((r) => ({ eventId: r.eventId, eventTime: r.eventTime, eventName: r.eventName, sourceId: batch.sourceId, emq: r.emq }))
  await recordDeliveries(trx, auth.tenantId, outbox, batch.receivedAt)
  outcome.stored = stored
  return outcome
}
