import type { Kysely, Transaction } from 'kysely'
import type { AuthContext } from '../auth/scopes'
import type { Database } from '../db/schema'
import { retryOnConflict } from '../db/retry-on-conflict'
import { withTenant } from '../db/with-tenant'
import { StratumError } from '../errors'
import type { EventFeed } from '../live/event-feed'
import type { Logger } from '../log'
import { monthsBefore } from '../privacy/months-before'
import type { Resolver } from '../resolver/resolver'
import { appendEvents } from './append-events'
import { awaitResolution } from './await-resolution'
import { boundBatchIdentifiers } from './bound-identifiers'
import { endUserOf } from './end-user'
import { EnvelopeSchema } from './event-contract'
import { type EventRow, toEventRow } from './event-rows'
import { feedItems } from './feed-items'
import { emptyTiming, type IngestTiming, timeTransaction } from './ingest-timing'
import type { AppendBatch } from './insert-events'
import { isolateRefused } from './isolate-refused'
import { isRejection, type PreparedEvent, prepareEvent, type Rejection } from './prepare-event'
import type { RequestFacts } from './request-facts'
import { scoreEvent } from './score-event'
import { validateEvent } from './validate-event'
import { issueDetails } from '../issue-details'

const CLOCK_TOLERANCE_MS = 5 * 60 * 1000

/** One event's line in the answer. */
export interface IngestedEvent {
  index: number
  event_id: string
  status: 'accepted' | 'duplicate' | 'suppressed'
  /** Known once resolved: `null` in an answer that did not wait for resolution. */
  profile_id: string | null
  emq: number | null
  warnings?: string[]
}

/** The response body of `POST /events`. */
export interface IngestResult {
  accepted: number
  duplicates: number
  /** Events dropped at resolution for a stored analytics denial or an erased identifier (known only when waited for). */
  suppressed: number
  rejected: Rejection[]
  events: IngestedEvent[]
}

/** Settings ingest needs from the configuration, and the process's resolver. */
export interface IngestSettings {
  retentionMonths: number
  defaultCountry?: string
  log?: Logger
  resolver: Resolver
  /** Where committed batches are shown live (collector/docs/live-events.md); nothing is shown without one. */
  feed?: EventFeed
  /** Wait up to this long for resolution before answering (`Prefer: wait=resolved`); otherwise answer at once. */
  waitMs?: number
  /**
   * Backpressure: while the tenant's resolution lags more than `maxLagMs`,
   * hold the answer (at most `timeoutMs`) so that senders slow down to what
   * resolution can follow. The events are stored either way.
   */
  backpressure?: { maxLagMs: number; timeoutMs: number }
}

/**
 * Ingests one batch (collector/docs/pipeline.md). Validates the envelope as
 * a whole and each event on its own, so one bad event rejects only itself;
 * normalises, hashes and scores EMQ, and builds the rows — all before a
 * transaction opens. Then one short transaction claims the event ids and
 * appends the events, and the answer follows the commit: a 2xx means
 * durably stored, with each event's status and EMQ. Profiles come from the
 * resolver, after; a caller that asked to wait (`waitMs`) gets them, and the
 * final status of each event, in the answer. `timing` says where the
 * batch's time went (`ingest-timing.ts`).
 *
 * @example
 * const { result } = await ingestBatch(db, auth, body, facts, { retentionMonths: 13, resolver })
 */
export async function ingestBatch(
  db: Kysely<Database>,
  auth: AuthContext,
  body: unknown,
  facts: RequestFacts,
  settings: IngestSettings,
): Promise<{ result: IngestResult; resolved: boolean; timing: IngestTiming }> {
  const started = performance.now()
  const timing = emptyTiming()
  const envelope = EnvelopeSchema.safeParse(body)
  if (!envelope.success) {
    throw new StratumError(
      400,
      'invalid_envelope',
      'The body must be {"sent_at"?: ISO time from 1970 to 2099, "events": [1..500 events]}',
      issueDetails(envelope.error.issues),
    )
  }
  const { sent_at: sentAt, events: items } = envelope.data
  const skew = sentAt ? facts.receivedAt.getTime() - Date.parse(sentAt) : 0
  const clockOffsetMs = Math.abs(skew) > CLOCK_TOLERANCE_MS ? skew : 0
  const context = {
    receivedAt: facts.receivedAt,
    sentAt: sentAt ? new Date(sentAt) : undefined,
    clockOffsetMs,
    oldestAllowed: monthsBefore(facts.receivedAt, settings.retentionMonths),
    defaultCountry: settings.defaultCountry,
  }
  const rejected: Rejection[] = []
  const prepared: PreparedEvent[] = []
  for (const [index, item] of items.entries()) {
    const outcome = validateEvent(item, index)
    const event = 'code' in outcome ? outcome : prepareEvent(outcome, index, context)
    if (isRejection(event)) rejected.push(event)
    else prepared.push(event)
  }
  const bounded = boundBatchIdentifiers(prepared)
  rejected.push(...bounded.rejected)
  // Once per event: the end user feeds both EMQ and the row.
  const rows = bounded.kept.map((e) => {
    const endUser = endUserOf(auth, e, facts)
    return toEventRow(e, scoreEvent(e, endUser, facts.receivedAt), endUser)
  })
  const batch: AppendBatch = {
    tenantId: auth.tenantId,
    sourceId: auth.source?.id ?? null,
    receivedAt: facts.receivedAt,
    sentAt: context.sentAt ?? null,
    clockCorrected: clockOffsetMs !== 0,
  }
  timing.prepare = performance.now() - started
  const events: IngestedEvent[] = []
  let duplicates = 0
  // What the database still refuses costs only the refused events (defence in depth).
  const { stored, refused } = await isolateRefused(rows, (part) =>
    retryOnConflict(() =>
      timeTransaction(timing, (inside) => withTenant(db, auth.tenantId, inside), (trx: Transaction<Database>) => appendEvents(trx, auth, batch, part)),
    ),
  )
  for (const { event, code } of refused) {
    settings.log?.warn('storage_refused', { tenant: auth.tenantId, event_id: event.eventId, sqlstate: code })
    rejected.push({ index: event.index, code: 'storage_refused', message: `The database refused the event's data (SQLSTATE ${code})` })
  }
  const accepted: EventRow[] = []
  const duplicateRows: EventRow[] = []
  for (const part of stored) {
    rejected.push(...part.rejected)
    duplicates += part.duplicates.length
    duplicateRows.push(...part.duplicates)
    for (const row of part.duplicates) events.push({ index: row.index, event_id: row.eventId, status: 'duplicate', profile_id: null, emq: null })
    for (const row of part.stored) {
      accepted.push(row)
      const warnings = [...row.warnings]
      events.push({ index: row.index, event_id: row.eventId, status: 'accepted', profile_id: null, emq: row.emq, ...(warnings.length > 0 ? { warnings } : {}) })
    }
  }
  if (accepted.length > 0) settings.resolver.wake(auth.tenantId)
  // After the commit, so that a batch rolled back never shows; before any wait, so that it shows at once.
  // The hot path builds the items only when someone can see them.
  if (settings.feed?.watched(auth.tenantId)) {
    await settings.feed.publish(auth.tenantId, feedItems(auth, { receivedAt: facts.receivedAt, items, accepted, duplicates: duplicateRows, rejected }))
  }
  const result: IngestResult = { accepted: accepted.length, duplicates, suppressed: 0, rejected, events }
  let resolved = accepted.length === 0
  const { backpressure } = settings
  const waitFrom = performance.now()
  if (backpressure && settings.waitMs === undefined && accepted.length > 0) {
    await settings.resolver.catchUp(auth.tenantId, backpressure.maxLagMs, backpressure.timeoutMs)
  }
  if (settings.waitMs !== undefined && accepted.length > 0) {
    const outcome = await awaitResolution(db, settings.resolver, auth.tenantId, accepted.map((r) => r.eventId), settings.waitMs)
    if (outcome) {
      resolved = true
      applyResolved(result, outcome)
    }
  }
  timing.wait = performance.now() - waitFrom
  rejected.sort((a, b) => a.index - b.index)
  events.sort((a, b) => a.index - b.index)
  return { result, resolved, timing }
}

/** Folds resolution's outcome into the answer: profiles, resolution's warnings, and the events it dropped. */
function applyResolved(result: IngestResult, outcome: Map<string, { profileId: string | null; warnings: string[] }>) {
  for (const event of result.events) {
    const resolved = event.status === 'accepted' ? outcome.get(event.event_id) : undefined
    if (!resolved) continue
    if (resolved.profileId === null) {
      Object.assign(event, { status: 'suppressed', emq: null })
      delete event.warnings
      result.accepted--
      result.suppressed++
      continue
    }
    event.profile_id = resolved.profileId
    if (resolved.warnings.length > 0) event.warnings = resolved.warnings
  }
}
