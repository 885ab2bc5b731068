import type { AuthContext } from '../auth/scopes'
import { emqBand } from '../emq/bands'
import type { FeedItem, RejectedItem } from '../live/feed-item'
import { LIMITS } from './event-contract'
import type { EventRow } from './event-rows'
import type { Rejection } from './prepare-event'

/** A rejection's message is cut to this many characters on the feed, which keeps a NOTIFY payload small. */
const MAX_MESSAGE_LENGTH = 300
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** What one batch's ingest ended with, once committed. */
export interface BatchOutcome {
  receivedAt: Date
  /** The batch's items as sent: what a rejection can still name of its event. */
  items: readonly unknown[]
  accepted: readonly EventRow[]
  duplicates: readonly EventRow[]
  rejected: readonly Rejection[]
}

/**
 * A committed batch as the live feed shows it, in batch order
 * (collector/docs/live-events.md): identifier types, never values or hashes.
 *
 * @example
 * await feed.publish(auth.tenantId, feedItems(auth, { receivedAt, items, accepted, duplicates, rejected }))
 */
export function feedItems(auth: AuthContext, outcome: BatchOutcome): FeedItem[] {
  const sourceId = auth.source?.id ?? null
  const receivedAt = outcome.receivedAt.toISOString()
  const indexed: Array<[number, FeedItem]> = []
  const scored = (row: EventRow, status: 'accepted' | 'duplicate'): FeedItem => ({
    kind: 'accepted',
    data: {
      event_id: row.eventId,
      event_name: row.eventName,
      source_id: sourceId,
      trust: auth.trust,
      status,
      event_time: row.eventTime.toISOString(),
      received_at: receivedAt,
      // As the answer says: a duplicate's stored copy is the first one.
      emq: status === 'accepted' ? row.emq : null,
      band: status === 'accepted' ? emqBand(row.emq) : null,
      identifier_types: [...row.identifierTypes],
      warnings: status === 'accepted' ? [...row.warnings] : [],
    },
  })
  for (const row of outcome.accepted) indexed.push([row.index, scored(row, 'accepted')])
  for (const row of outcome.duplicates) indexed.push([row.index, scored(row, 'duplicate')])
  for (const rejection of outcome.rejected) {
    indexed.push([rejection.index, rejectedItem(auth, outcome.receivedAt, rejection, outcome.items[rejection.index])])
  }
  return indexed.sort((a, b) => a[0] - b[0]).map(([, item]) => item)
}

/**
 * A refused item on the feed: its event id and name when the item carried
 * usable ones, its code, and its message cut short.
 *
 * @example
 * rejectedItem(auth, receivedAt, { index: 0, code: 'invalid_event', message: '…' }, { event_name: 'Purchase' })
 */
export function rejectedItem(auth: AuthContext, receivedAt: Date, rejection: Rejection, item?: unknown): FeedItem {
  const fields = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {}
  const { event_id: id, event_name: name } = fields
  const data: RejectedItem = {
    event_id: typeof id === 'string' && UUID.test(id) ? id.toLowerCase() : null,
    event_name: typeof name === 'string' && name.length <= LIMITS.eventNameLength ? name : null,
    source_id: auth.source?.id ?? null,
    received_at: receivedAt.toISOString(),
    code: rejection.code,
    message: rejection.message.slice(0, MAX_MESSAGE_LENGTH),
  }
  return { kind: 'rejected', data }
}
