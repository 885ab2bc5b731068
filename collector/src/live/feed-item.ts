import type { EmqBand } from '../emq/types'

/**
 * An event the collector stored (or recognised as a replay), as the live
 * stream shows it (collector/docs/live-events.md). Identifier *types* only:
 * never a value or a hash.
 */
export interface AcceptedItem {
  event_id: string
  event_name: string
  source_id: string | null
  trust: string
  status: 'accepted' | 'duplicate'
  event_time: string
  received_at: string
  /** `null` for a duplicate: the stored copy is the first one, scored when it came. */
  emq: number | null
  band: EmqBand | null
  identifier_types: string[]
  warnings: string[]
}

/** An item of a batch that ingest refused, with the machine code the sender was answered. */
export interface RejectedItem {
  event_id: string | null
  event_name: string | null
  source_id: string | null
  received_at: string
  code: string
  message: string
}

/** One message of a tenant's feed, named as the stream's SSE event. */
export type FeedItem = { kind: 'accepted'; data: AcceptedItem } | { kind: 'rejected'; data: RejectedItem }

/** What a subscriber asked to see; an absent field matches everything. */
export interface FeedFilter {
  /** A source's id, or `server` for events sent without a source key. */
  sourceId?: string
  eventName?: string
  band?: EmqBand
}

/**
 * Whether `item` passes `filter`. A band filter keeps only scored events:
 * duplicates and rejections have no band of their own.
 *
 * @example
 * matchesFilter({ kind: 'rejected', data }, { band: 'good' }) // false
 */
export function matchesFilter(item: FeedItem, filter: FeedFilter): boolean {
  const { data } = item
  if (filter.sourceId !== undefined && (data.source_id ?? 'server') !== filter.sourceId) return false
  if (filter.eventName !== undefined && data.event_name !== filter.eventName) return false
  if (filter.band !== undefined && (item.kind !== 'accepted' || item.data.band !== filter.band)) return false
  return true
}
