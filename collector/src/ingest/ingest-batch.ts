import type { Kysely, Transaction } from 'kysely'
import { EnvelopeSchema } from '../api/schemas/event-schema'
import type { AuthContext } from '../auth/scopes'
import type { Database } from '../db/schema'
import { retryOnConflict } from '../db/retry-on-conflict'
import { withTenant } from '../db/with-tenant'
import { recordDeliveries } from '../destinations/record-deliveries'
import { StratumError } from '../errors'
import type { Logger } from '../log'
import { findDeniedProfiles } from '../privacy/consent-state'
import { monthsBefore } from '../privacy/months-before'
import { applyTenantWindow } from './apply-tenant-window'
import { boundBatchIdentifiers } from './bound-identifiers'
import { claimEventIds } from './claim-event-ids'
import { isolateRefused } from './isolate-refused'
import { isRejection, type PreparedEvent, prepareEvent, type Rejection } from './prepare-event'
import { replaceBrowserCopies } from './replace-browser-copies'
import { resolveProfiles } from './resolve-profiles'
import { storeEvents } from './store-events'
import { updateAggregates } from './update-aggregates'
import { validateEvent } from './validate-event'

const CLOCK_TOLERANCE_MS = 5 * 60 * 1000

/** Request facts the collector derives itself, never from the body. */
export interface RequestFacts {
  receivedAt: Date
  clientIp: string | undefined
  userAgent: string | undefined
}

/** The response body of `POST /events`. */
export interface IngestResult {
  accepted: number
  duplicates: number
  /** Events dropped for a stored analytics denial or an erased identifier. */
  suppressed: number
  rejected: Rejection[]
  events: Array<{
    index: number
    event_id: string
    status: 'accepted' | 'duplicate' | 'suppressed'
    profile_id: string | null
    emq: number | null
    warnings?: string[]
  }>
}

/** Settings ingest needs from the configuration. */
export interface IngestSettings {
  retentionMonths: number
  defaultCountry?: string
  /** Receives one line per merge a guard stopped. */
  log?: Logger
}

/**
 * Ingests one batch (spec §3): validates the envelope as a whole and each
 * event on its own, so that one bad event rejects only itself; then stores
 * every good event in ONE transaction — dedup by `(tenant, event_id)`,
 * profile resolution, append-only insert, aggregates — and answers only
 * after the commit, so a 2xx always means durably stored.
 *
 * @example
 * const result = await ingestBatch(db, auth, body, facts, { retentionMonths: 13 })
 */
export async function ingestBatch(
  db: Kysely<Database>,
  auth: AuthContext,
  body: unknown,
  facts: RequestFacts,
  settings: IngestSettings,
): Promise<IngestResult> {
  const envelope = EnvelopeSchema.safeParse(body)
  if (!envelope.success) {
    throw new StratumError(
      400,
      'invalid_envelope',
      'The body must be {"sent_at"?: ISO time from 1970 to 2099, "events": [1..500 events]}',
      envelope.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message })),
    )
  }
  const { sent_at: sentAt, events: items } = envelope.data
  const skew = sentAt ? facts.receivedAt.getTime() - Date.parse(sentAt) : 0
  const rejected: Rejection[] = []
  const prepared: PreparedEvent[] = []
  const context = {
    receivedAt: facts.receivedAt,
    sentAt: sentAt ? new Date(sentAt) : undefined,
    clockOffsetMs: Math.abs(skew) > CLOCK_TOLERANCE_MS ? skew : 0,
    oldestAllowed: monthsBefore(facts.receivedAt, settings.retentionMonths),
    defaultCountry: settings.defaultCountry,
  }
  for (const [index, item] of items.entries()) {
    const outcome = validateEvent(item, index)
    const event = 'code' in outcome ? outcome : prepareEvent(outcome, index, context)
    if (isRejection(event)) rejected.push(event)
    else prepared.push(event)
  }

  const bounded = boundBatchIdentifiers(prepared)
  rejected.push(...bounded.rejected)
  const result: IngestResult = { accepted: 0, duplicates: 0, suppressed: 0, rejected, events: [] }
  if (bounded.kept.length === 0) return result
  const baseWarnings = new Map(bounded.kept.map((e) => [e, [...e.warnings]]))
  // What the database still refuses costs only the refused events (defence in depth).
  const { stored, refused } = await isolateRefused(bounded.kept, (part) =>
    retryOnConflict(() => {
      // A retried transaction starts from the prepared events as they were.
      for (const e of part) e.warnings = [...baseWarnings.get(e)!]
      return withTenant(db, auth.tenantId, (trx) => storeBatch(trx, auth, part, facts))
    }),
  )
  for (const { event, code } of refused) {
    settings.log?.warn('storage_refused', { tenant: auth.tenantId, event_id: event.eventId, sqlstate: code })
    rejected.push({ index: event.index, code: 'storage_refused', message: `The database refused the event's data (SQLSTATE ${code})` })
  }
  for (const part of stored) {
    for (const stop of part.blocked) {
      settings.log?.info('merge_blocked', { tenant: auth.tenantId, rule: stop.rule, event_id: stop.eventId })
    }
    result.accepted += part.result.accepted
    result.duplicates += part.result.duplicates
    result.suppressed += part.result.suppressed
    rejected.push(...part.result.rejected)
    result.events.push(...part.result.events)
  }
  rejected.sort((a, b) => a.index - b.index)
  result.events.sort((a, b) => a.index - b.index)
  return result
}

async function storeBatch(trx: Transaction<Database>, auth: AuthContext, batch: PreparedEvent[], facts: RequestFacts) {
  const { kept: prepared, rejected } = await applyTenantWindow(trx, auth.tenantId, batch, facts.receivedAt)
  const result: IngestResult = { accepted: 0, duplicates: 0, suppressed: 0, rejected, events: [] }
  if (prepared.length === 0) return { result, blocked: [] }
  const { claimed: fresh, takeovers } = await claimEventIds(trx, auth.tenantId, auth.trust, prepared, facts.receivedAt)
  const claimed = new Set(fresh)
  const reply = (e: PreparedEvent, status: 'duplicate' | 'suppressed') =>
    result.events.push({ index: e.index, event_id: e.eventId, status, profile_id: null, emq: null })
  for (const e of prepared) if (!claimed.has(e)) reply(e, 'duplicate')
  result.duplicates = prepared.length - fresh.length
  if (fresh.length === 0) return { result, blocked: [] }
  const resolution = await resolveProfiles(trx, auth.tenantId, fresh, facts.receivedAt, { browser: auth.trust === 'browser' })
  const { profileOf, knownProfiles, blocked } = resolution
  // A stored analytics denial the batch's trust must honour, or an erased identifier, suppresses the event.
  const denied = await findDeniedProfiles(trx, auth.tenantId, profileOf.values(), 'analytics', auth.trust)
  const isSuppressed = (e: PreparedEvent) => resolution.suppressed.has(e.index) || denied.has(profileOf.get(e.index)!)
  const dropped = fresh.filter(isSuppressed)
  const kept = dropped.length > 0 ? fresh.filter((e) => !isSuppressed(e)) : fresh
  // Release the ids this batch claimed for them, so that "duplicate" keeps meaning "stored";
  // an id a browser claimed first stays the browser's.
  const released = dropped.filter((e) => !takeovers.has(e))
  if (released.length > 0) {
    await trx
      .deleteFrom('event_keys')
      .where('tenant_id', '=', auth.tenantId)
      .where('event_id', 'in', released.map((e) => e.eventId))
      .execute()
  }
  for (const e of dropped) reply(e, 'suppressed')
  result.suppressed = dropped.length
  if (kept.length === 0) return { result, blocked }
  const replacing = new Map(kept.filter((e) => takeovers.has(e)).map((e) => [e, takeovers.get(e)!]))
  if (replacing.size > 0) {
    await replaceBrowserCopies(trx, auth.tenantId, replacing, facts.receivedAt)
    for (const e of replacing.keys()) e.warnings.push('browser_copy_replaced')
  }
  const scores = await storeEvents(trx, auth, kept, profileOf, facts)
  // The Trust Engine's outbox commits with the events (collector/docs/trust-engine.md).
  await recordDeliveries(
    trx,
    auth.tenantId,
    kept.map((e) => ({ eventId: e.eventId, eventTime: e.eventTime, eventName: e.eventName, sourceId: auth.source?.id ?? null, emq: scores.get(e.index) ?? null })),
    facts.receivedAt,
  )
  await updateAggregates(trx, auth.tenantId, kept, profileOf, knownProfiles, facts.receivedAt, auth.trust)
  for (const e of kept) {
    result.events.push({
      index: e.index,
      event_id: e.eventId,
      status: 'accepted',
      profile_id: profileOf.get(e.index)!,
      emq: scores.get(e.index) ?? null,
      ...(e.warnings.length > 0 ? { warnings: e.warnings } : {}),
    })
  }
  result.accepted = kept.length
  return { result, blocked }
}
