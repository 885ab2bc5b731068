import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'
import { emqAutomation, emqBand } from './bands'
import { loadMissingFieldGains, type ScopeGains } from './missing-field-gains'
import { type EmqDistribution, loadEmqDistributions } from './signal-health'
import { SIGNAL_WINDOW_NAMES, type SignalWindow, windowStart } from './signal-windows'
import type { EmqAutomation, EmqBand } from './types'

/**
 * Signal health of one scope over one window, as `GET /emq` returns it.
 *
 * @example
 * const w: EmqWindowView = {
 *   from: '2026-01-13T12:00:00.000Z', to: '2026-01-14T12:00:00.000Z', events: 0,
 *   mean_emq: null, p10: null, p50: null, p90: null,
 *   bands: { excellent: 0, good: 0, fair: 0, poor: 0 }, band: null, automation: 'manual',
 *   missing_fields: { based_on_events: 0, top: [] },
 * }
 */
export interface EmqWindowView {
  from: string
  to: string
  events: number
  mean_emq: number | null
  p10: number | null
  p50: number | null
  p90: number | null
  bands: Record<EmqBand, number>
  band: EmqBand | null
  automation: EmqAutomation
  missing_fields: {
    based_on_events: number
    top: Array<{
      field: string
      factors: Array<'iq' | 'dc' | 't' | 'cr'>
      event_name: string
      events: number
      missing: number
      missing_share: number
      gain: number
      message: string
    }>
  }
}

/**
 * The body of `GET /emq`.
 *
 * @example
 * const report: EmqReportView = await buildEmqReport(trx, tenantId, { now: new Date(), top: 5 })
 */
export interface EmqReportView {
  tenant_id: string
  generated_at: string
  basis: 'received_at'
  tenant: { windows: Record<SignalWindow, EmqWindowView> }
  sources: Array<{
    source_id: string | null
    name: string | null
    source_type: string | null
    windows: Record<SignalWindow, EmqWindowView>
  }>
}

/** What `buildEmqReport` is asked for. */
export interface EmqReportOptions {
  now: Date
  /** Missing-field gains per scope and window. */
  top: number
  /** Only this source in `sources`: a source id, or `server` for JWT-sent events. */
  sourceId?: string
}

/**
 * `mean_emq`, `band` and `automation` of a window: the band comes from the
 * unrounded mean (`bands.ts`); no events is no signal, so automation stays
 * manual.
 *
 * @example
 * summarise({ events: 2, meanEmq: 79.95, p10: null, p50: null, p90: null, bands: { excellent: 1, good: 1, fair: 0, poor: 0 } })
 * // { mean_emq: 79.95, band: 'good', automation: 'partial' }
 */
export function summarise(d: EmqDistribution): { mean_emq: number | null; band: EmqBand | null; automation: EmqAutomation } {
  if (d.meanEmq === null) return { mean_emq: null, band: null, automation: 'manual' }
  const band = emqBand(d.meanEmq)
  return { mean_emq: round2(d.meanEmq), band, automation: emqAutomation(band) }
}

/**
 * Signal health of every source of the tenant (plus `server`, the events sent
 * with a JWT) and of the whole tenant, over the last 24 hours and 7 days.
 * `undefined` when `sourceId` names no source of the tenant.
 *
 * @example
 * const report = await withTenant(db, tenantId, (trx) => buildEmqReport(trx, tenantId, { now: new Date(), top: 5 }))
 * report?.tenant.windows['24h'].automation // 'partial'
 */
export async function buildEmqReport(
  db: Kysely<Database>,
  tenantId: string,
  options: EmqReportOptions,
): Promise<EmqReportView | undefined> {
  const { now } = options
  const windows = SIGNAL_WINDOW_NAMES
  const [sources, distributions, gains] = await Promise.all([
    db
      .selectFrom('sources')
      .select(['id', 'name', 'source_type'])
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    loadEmqDistributions(db, tenantId, { now, windows, perSource: true }),
    loadMissingFieldGains(db, tenantId, { now, windows, top: options.top }),
  ])

  const scopes: EmqReportView['sources'] = []
  const known = new Set<string | null>()
  const addScope = (sourceId: string | null, name: string | null, sourceType: string | null) => {
    known.add(sourceId)
    const view = (w: SignalWindow) =>
      toWindowView(w, now, distributions.sources.get(sourceId)?.[w], gains.sources.get(sourceId)?.[w])
    scopes.push({ source_id: sourceId, name, source_type: sourceType, windows: { '24h': view('24h'), '7d': view('7d') } })
  }
  for (const s of sources) addScope(s.id, s.name, s.source_type)
  addScope(null, 'server', null)
  // Events can outlive their source's row; their figures must not vanish.
  for (const id of distributions.sources.keys()) if (!known.has(id)) addScope(id, null, null)

  const wanted = options.sourceId === 'server' ? null : options.sourceId
  const listed = options.sourceId === undefined ? scopes : scopes.filter((s) => s.source_id === wanted)
  if (listed.length === 0) return undefined
  const tenantView = (w: SignalWindow) => toWindowView(w, now, distributions.tenant[w], gains.tenant[w])
  return {
    tenant_id: tenantId,
    generated_at: now.toISOString(),
    basis: 'received_at',
    tenant: { windows: { '24h': tenantView('24h'), '7d': tenantView('7d') } },
    sources: listed,
  }
}

/**
 * The tenant's signal health over the last 24 hours, for `GET /health`: a
 * narrower scan than the full report.
 *
 * @example
 * await withTenant(db, tenantId, (trx) => loadSignalHealth(trx, tenantId, new Date()))
 * // { window: '24h', events: 120, mean_emq: 63.4, band: 'good', automation: 'partial' }
 */
export async function loadSignalHealth(db: Kysely<Database>, tenantId: string, now: Date) {
  const { tenant } = await loadEmqDistributions(db, tenantId, { now, windows: ['24h'], perSource: false })
  return { window: '24h' as const, events: tenant['24h'].events, ...summarise(tenant['24h']) }
}

const EMPTY: EmqDistribution = {
  events: 0,
  meanEmq: null,
  p10: null,
  p50: null,
  p90: null,
  bands: { excellent: 0, good: 0, fair: 0, poor: 0 },
}

function toWindowView(
  window: SignalWindow,
  now: Date,
  distribution: EmqDistribution = EMPTY,
  gains: ScopeGains = { basedOnEvents: 0, top: [] },
): EmqWindowView {
  const summary = summarise(distribution)
  return {
    from: windowStart(window, now).toISOString(),
    to: now.toISOString(),
    events: distribution.events,
    mean_emq: summary.mean_emq,
    p10: roundOrNull(distribution.p10),
    p50: roundOrNull(distribution.p50),
    p90: roundOrNull(distribution.p90),
    bands: distribution.bands,
    band: summary.band,
    automation: summary.automation,
    missing_fields: {
      based_on_events: gains.basedOnEvents,
      top: gains.top.map((g) => ({
        field: g.field,
        factors: [...g.factors],
        event_name: g.eventName,
        events: g.events,
        missing: g.missing,
        missing_share: Math.round((10_000 * g.missing) / g.events) / 10_000,
        gain: round2(g.gain),
        message: g.message,
      })),
    },
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100
const roundOrNull = (n: number | null) => (n === null ? null : round2(n))
