import type { Kysely } from 'kysely'
import { LIMITS } from '../ingest/event-contract'
import type { AuthContext } from '../auth/scopes'
import type { Database } from '../db/schema'
import { rejectedItem } from '../ingest/feed-items'
import { type IngestSettings, ingestBatch } from '../ingest/ingest-batch'
import type { RequestFacts } from '../ingest/request-facts'
import type { FeedItem } from '../live/feed-item'
import type { Fields } from './fields'
import { type MapOptions, mapMessage } from './map-message'

/** A message that was not stored, and why (its index in the request). */
export interface RefusedMessage {
  index: number
  code: string
  message: string
}

/** What became of a request's messages. */
export interface MessagesOutcome {
  /** Stored now, or already (a replayed `messageId`), or acknowledged as suppressed. */
  stored: number
  refused: RefusedMessage[]
}

/**
 * Maps Segment messages to Stratum events and ingests them with
 * `ingestBatch`, so validation, EMQ, deduplication and resolution are the
 * same as for `POST /events`. Messages sent at the same `sentAt` travel in
 * one batch (ingest corrects a client's clock per batch), at most 500 to a
 * batch; each batch is durable when its call returns. A message that cannot
 * be mapped, or that ingest rejects, costs only itself.
 *
 * @example
 * const { refused } = await ingestMessages(db, auth, body.batch, { path: (i) => `batch[${i}]`, receivedAt, fallbackSource: 'server' }, facts, settings)
 */
export async function ingestMessages(
  db: Kysely<Database>,
  auth: AuthContext,
  messages: readonly unknown[],
  options: Omit<MapOptions, 'path'> & { path: (index: number) => string },
  facts: RequestFacts,
  settings: IngestSettings,
): Promise<MessagesOutcome> {
  const outcome: MessagesOutcome = { stored: 0, refused: [] }
  const batches = new Map<string, Array<{ index: number; event: Fields }>>()
  const unmapped: FeedItem[] = []
  for (const [index, message] of messages.entries()) {
    const mapped = mapMessage(message, { ...options, path: options.path(index) })
    if ('code' in mapped) {
      outcome.refused.push({ index, ...mapped })
      unmapped.push(rejectedItem(auth, facts.receivedAt, { index, ...mapped }))
      continue
    }
    const batch = batches.get(mapped.sentAt ?? '') ?? []
    batches.set(mapped.sentAt ?? '', batch)
    batch.push({ index, event: mapped.event })
  }
  // What could not be mapped is refused before ingest: the live feed hears of it here (collector/docs/live-events.md).
  await settings.feed?.publish(auth.tenantId, unmapped)
  for (const [sentAt, items] of batches) {
    for (let start = 0; start < items.length; start += LIMITS.eventsPerBatch) {
      const part = items.slice(start, start + LIMITS.eventsPerBatch)
      const body = { ...(sentAt !== '' ? { sent_at: sentAt } : {}), events: part.map((item) => item.event) }
      const { result } = await ingestBatch(db, auth, body, facts, settings)
      outcome.stored += result.accepted + result.duplicates + result.suppressed
      for (const rejection of result.rejected) {
        const index = part[rejection.index]!.index
        const message = rejection.message.replace(/^events\[\d+\]/, '')
        outcome.refused.push({ index, code: rejection.code, message: `${options.path(index)}${/^[.[]/.test(message) ? '' : ': '}${message}` })
      }
    }
  }
  outcome.refused.sort((a, b) => a.index - b.index)
  return outcome
}
