import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'
import { summarise } from './emq-report'
import { loadEmqDistributions } from './signal-health'
import type { SignalWindow } from './signal-windows'

/**
 * The tenant's mean EMQ over one window ending at `now`, with 2 decimals as
 * `GET /emq` shows it; `null` when no scored event was received in it.
 *
 * @example
 * await withTenant(db, tenantId, (trx) => loadWindowMeanEmq(trx, tenantId, '7d', new Date())) // 63.42
 */
export async function loadWindowMeanEmq(db: Kysely<Database>, tenantId: string, window: SignalWindow, now: Date): Promise<number | null> {
  const { tenant } = await loadEmqDistributions(db, tenantId, { now, windows: [window], perSource: false })
  return summarise(tenant[window]).mean_emq
}
