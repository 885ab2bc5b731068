import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema'
import { type MissingFieldGain, loadMissingFieldGains } from '../emq/missing-field-gains'
import type { EmqAutomation } from '../emq/types'
import { listDestinations } from './destination-store'
import { type DestinationPolicy, effectiveLevel } from './policy'
import { healthOf, loadSourceHealth, type SourceHealth } from './source-health'

/** Delivery counts of one destination for one source. */
export interface DeliveryCounts {
  pending: number
  held: number
  delivered: number
  dead: number
  suppressed: number
  discarded: number
  expired: number
  /** Held events by the gate's reason. */
  held_reasons: Record<string, number>
}

/**
 * The Trust Engine's state per source (`server`: events sent with a JWT) and
 * destination: the source's band, mean EMQ and table level over the last
 * 24 hours, the level each destination applies, its delivery counts (since
 * the destination was created), and why the level is what it is, from the
 * missing-field gains `GET /emq` computes (`collector/docs/trust-engine.md`).
 *
 * @example
 * const report = await buildTrustReport(trx, tenantId, new Date())
 * report.sources[0]?.reasons[0] // 'Partial: 31 % of events below 60 EMQ — most lack `phone`; adding it gains +9.4'
 */
export async function buildTrustReport(trx: Transaction<Database>, tenantId: string, now: Date) {
  const [sources, destinations, health, gains, counts] = await Promise.all([
    trx.selectFrom('sources').select(['id', 'name']).where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').execute(),
    listDestinations(trx, tenantId),
    loadSourceHealth(trx, tenantId, now),
    loadMissingFieldGains(trx, tenantId, { now, windows: ['24h'], top: 3 }),
    countDeliveries(trx, tenantId),
  ])
  const scopes = [...sources.map((s) => ({ id: s.id as string | null, name: s.name })), { id: null, name: 'server' }]
  return {
    generated_at: now.toISOString(),
    window: '24h' as const,
    sources: scopes.map(({ id, name }) => {
      const h = healthOf(health, id)
      return {
        source_id: id,
        name,
        events: h.events,
        mean_emq: h.meanEmq === null ? null : Math.round(h.meanEmq * 100) / 100,
        band: h.band,
        level: h.level,
        reasons: reasonsFor(h, gains.sources.get(id)?.['24h'].top ?? []),
        destinations: destinations.map((d) => ({
          destination_id: d.id,
          name: d.name,
          enabled: d.enabled,
          level: effectiveLevel(h.level, d.policy as DestinationPolicy),
          override: (d.policy as DestinationPolicy).override === true,
          ...(counts.get(`${d.id}:${id}`) ?? emptyCounts()),
        })),
      }
    }),
  }
}

const emptyCounts = (): DeliveryCounts => ({ pending: 0, held: 0, delivered: 0, dead: 0, suppressed: 0, discarded: 0, expired: 0, held_reasons: {} })

/** Counts per destination, source, status and (for held events) reason: one scan of `deliveries_by_status`. */
async function countDeliveries(trx: Transaction<Database>, tenantId: string): Promise<Map<string, DeliveryCounts>> {
  const { rows } = await sql<{ destination_id: string; source_id: string | null; status: string; reason: string | null; n: number }>`
    SELECT destination_id, source_id, status, CASE WHEN status = 'held' THEN reason END AS reason, count(*)::int AS n
    FROM deliveries WHERE tenant_id = ${tenantId} GROUP BY 1, 2, 3, 4
  `.execute(trx)
  const counts = new Map<string, DeliveryCounts>()
  for (const r of rows) {
    const key = `${r.destination_id}:${r.source_id}`
    const c = counts.get(key) ?? emptyCounts()
    counts.set(key, c)
    const status = r.status === 'sending' ? 'pending' : (r.status as Exclude<keyof DeliveryCounts, 'held_reasons'>)
    c[status] += r.n
    if (r.reason) c.held_reasons[r.reason] = (c.held_reasons[r.reason] ?? 0) + r.n
  }
  return counts
}

const LEVEL_NAMES: Record<EmqAutomation, string> = { full: 'Full', partial: 'Partial', limited: 'Limited', manual: 'Manual' }

/**
 * Why a source's level is what it is, and what would raise it: a headline
 * naming the level and its cause with the largest gain, then the other gains
 * as `GET /emq` words them.
 */
function reasonsFor(h: SourceHealth, top: MissingFieldGain[]): string[] {
  const name = LEVEL_NAMES[h.level]
  if (h.events === 0 || h.meanEmq === null) return [`${name}: no events in the last 24 h`]
  const best = top[0]
  const fix = best ? ` — most lack \`${best.field}\`; adding it gains +${best.gain.toFixed(1)}` : ''
  const mean = h.meanEmq.toFixed(1)
  const below = Math.round((100 * h.belowGood) / h.events)
  const headline = {
    full: `Full: mean EMQ ${mean}; every matching event is delivered`,
    partial: `Partial: ${below} % of events below 60 EMQ${fix}`,
    limited: `Limited: mean EMQ ${mean}; only conversions with a match key are delivered${fix}`,
    manual: `Manual: mean EMQ ${mean} is Poor; every event is held${fix}`,
  }[h.level]
  return [headline, ...top.slice(h.level === 'full' ? 0 : 1).map((g) => g.message)]
}
