import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/schema'
import type { FeedItem } from './feed-item'
import { notifyChunks } from './notify-chunks'

/**
 * The NOTIFY channel of a tenant's feed: one per tenant, so that a collector
 * only receives the traffic of tenants someone watches on it.
 *
 * @example
 * feedChannel('0b5e…-…') // 'stratum_live_0b5e…'
 */
export function feedChannel(tenantId: string): string {
  return `stratum_live_${tenantId.replaceAll('-', '')}`
}

/**
 * Sends a batch's feed items to every collector listening for the tenant:
 * one statement, one `pg_notify` per payload of at most 8000 bytes, in
 * order (a function scan of `unnest` yields its array in order) (collector/docs/live-events.md, "Cost"). It touches no table, so it
 * needs no tenant transaction. Returns how many items were too large to send.
 *
 * @example
 * await notifyFeed(db, tenantId, items)
 */
export async function notifyFeed(db: Kysely<Database>, tenantId: string, items: readonly FeedItem[]): Promise<number> {
  const { payloads, oversized } = notifyChunks(items)
  if (payloads.length > 0) {
    // A notifying transaction commits under one lock for the whole database, and with
    // `synchronous_commit` on it would hold that lock through a WAL flush: every batch of
    // every collector would queue behind the others' flushes (collector/docs/live-events.md, "Cost").
    // Nothing here needs to survive a crash — the events are already stored — so this
    // statement's own transaction commits without waiting for the flush.
    await sql`
      SELECT pg_notify(${feedChannel(tenantId)}, payload)
      FROM (SELECT set_config('synchronous_commit', 'off', true)) AS commit_without_flush, unnest(${payloads}::text[]) AS payload
    `.execute(db)
  }
  return oversized
}

/**
 * Reads a payload `notifyFeed` sent; `null` for anything else.
 *
 * @example
 * parseFeedPayload('[{"kind":"rejected","data":{…}}]') // [{ kind: 'rejected', data: {…} }]
 */
export function parseFeedPayload(payload: string): FeedItem[] | null {
  try {
    const items: unknown = JSON.parse(payload)
    return Array.isArray(items) ? (items as FeedItem[]) : null
  } catch {
    return null
  }
}
