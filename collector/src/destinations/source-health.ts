import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'
import { summarise } from '../emq/emq-report'
import { loadEmqDistributions } from '../emq/signal-health'
import type { EmqAutomation, EmqBand } from '../emq/types'

/**
 * A source's signal health over the last 24 hours and the level it unlocks.
 *
 * @example
 * const h: SourceHealth = { events: 120, meanEmq: 63.4, band: 'good', level: 'partial', belowGood: 31 }
 */
export interface SourceHealth {
  events: number
  /** Events scoring below 60 (Fair or Poor). */
  belowGood: number
  /** Unrounded; null without events. */
  meanEmq: number | null
  band: EmqBand | null
  level: EmqAutomation
}

/** No events is no signal: nothing is automated. */
const SILENT: SourceHealth = { events: 0, belowGood: 0, meanEmq: null, band: null, level: 'manual' }

/**
 * Signal health per source (`null`: events sent with a JWT, the tenant's
 * server signal), from the same distribution query and band rules as
 * `GET /emq` (`emq/signal-health.ts`, `emq/bands.ts`).
 *
 * @example
 * const health = await loadSourceHealth(trx, tenantId, new Date())
 * healthOf(health, sourceId).level // 'partial'
 */
export async function loadSourceHealth(db: Kysely<Database>, tenantId: string, now: Date): Promise<Map<string | null, SourceHealth>> {
  const { sources } = await loadEmqDistributions(db, tenantId, { now, windows: ['24h'], perSource: true })
  const health = new Map<string | null, SourceHealth>()
  for (const [sourceId, windows] of sources) {
    const d = windows['24h']
    const summary = summarise(d)
    health.set(sourceId, { events: d.events, belowGood: d.bands.fair + d.bands.poor, meanEmq: d.meanEmq, band: summary.band, level: summary.automation })
  }
  return health
}

/**
 * One source's health; a source without events in the window is silent (Manual).
 *
 * @example
 * healthOf(new Map(), null) // { events: 0, belowGood: 0, meanEmq: null, band: null, level: 'manual' }
 */
export function healthOf(health: ReadonlyMap<string | null, SourceHealth>, sourceId: string | null): SourceHealth {
  return health.get(sourceId) ?? SILENT
}
