import type { Kysely, Transaction } from 'kysely'
import { EnvelopeSchema, EventSchema, type IncomingEvent, LIMITS } from '../api/schemas/event-schema'
import type { AuthContext } from '../auth/scopes'
import type { Database } from '../db/schema'
import { retryOnConflict } from '../db/retry-on-conflict'
import { withTenant } from '../db/with-tenant'
import { StratumError } from '../errors'
import type { Logger } from '../log'
import { findDeniedProfiles } from '../privacy/consent-state'
import { monthsBefore } from '../privacy/months-before'
import { applyTenantWindow } from './apply-tenant-window'
import { checkStructure } from './check-structure'
import { claimEventIds } from './claim-event-ids'
import { isRejection, type PreparedEvent, prepareEvent, type Rejection } from './prepare-event'
import { replaceBrowserCopies } from './replace-browser-copies'
import { resolveProfiles } from './resolve-profiles'
import { storeEvents } from './store-events'
import { updateAggregates } from './update-aggregates'

const CLOCK_TOLERANCE_MS = 5 * 60 * 1000
const BATCH_ENVELOPE_DEPTH = 6 // event → properties → 5 levels

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
      'The body must be {"sent_at"?: ISO time, "events": [1..500 events]}',
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
    const outcome = validateItem(item, index)
    const event = 'code' in outcome ? outcome : prepareEvent(outcome, index, context)
    if (isRejection(event)) rejected.push(event)
    else prepared.push(event)
  }

  if (prepared.length === 0) return { accepted: 0, duplicates: 0, suppressed: 0, rejected, events: [] }
  const baseWarnings = prepared.map((e) => [...e.warnings])
  const stored = await retryOnConflict(() => {
    // A retried transaction starts from the prepared events as they were.
    prepared.forEach((e, i) => {
      e.warnings = [...baseWarnings[i]!]
    })
    return withTenant(db, auth.tenantId, (trx) => storeBatch(trx, auth, prepared, facts))
  })
  for (const stop of stored.blocked) {
    settings.log?.info('merge_blocked', { tenant: auth.tenantId, rule: stop.rule, event_id: stop.eventId })
  }
  return {
    ...stored.result,
    rejected: [...rejected, ...stored.result.rejected].sort((a, b) => a.index - b.index),
    events: stored.result.events.sort((a, b) => a.index - b.index),
  }
}

/** Checks one event's size, shape and schema. */
function validateItem(item: unknown, index: number): IncomingEvent | Rejection {
  const bytes = Buffer.byteLength(JSON.stringify(item) ?? '')
  if (bytes > LIMITS.eventBytes) {
    return { index, code: 'event_too_large', message: `The event is ${bytes} bytes; the limit is ${LIMITS.eventBytes}` }
  }
  const problem = checkStructure(item, BATCH_ENVELOPE_DEPTH, `events[${index}]`)
  if (problem) return { index, ...problem }
  const parsed = EventSchema.safeParse(item)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    return { index, code: 'invalid_event', message: `${issue.path.join('.') || 'event'}: ${issue.message}` }
  }
  return parsed.data
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
