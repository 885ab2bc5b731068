import type { Kysely } from 'kysely'
import type { Listen } from '../db/create-database'
import type { Database } from '../db/schema'
import { StratumError } from '../errors'
import type { Logger } from '../log'
import { type FeedFilter, type FeedItem, matchesFilter } from './feed-item'
import { feedChannel, notifyFeed, parseFeedPayload } from './pg-notify'
import { createSubscriberQueue, type FeedMessage, type SubscriberQueue } from './subscriber-queue'
import { createWatcherRegistry } from './watcher-registry'

/** Concurrent streams one tenant may hold on one collector (collector/docs/live-events.md, "Limits"). */
export const MAX_STREAMS_PER_TENANT = 20
/** Messages a stream may fall behind by before it misses some (and is told so). */
export const STREAM_QUEUE_CAPACITY = 1000

/** One subscriber's end of the feed. */
export interface Subscription {
  /** The next message, waiting for one; `null` once the subscription or the feed is closed. */
  next(): Promise<FeedMessage | null>
  /** Leaves the feed; safe to call more than once. */
  close(): void
}

/** A tenant's live events, for this process's streams (collector/docs/live-events.md). */
export interface EventFeed {
  /** Shows a batch's items to every subscriber of the tenant, on every collector. Call it after the commit; it never throws. */
  publish(tenantId: string, items: readonly FeedItem[]): Promise<void>
  /** Subscribes; resolves once the subscription receives everything published after it. 429 past the tenant's limit. */
  subscribe(tenantId: string, filter: FeedFilter): Promise<Subscription>
  /**
   * Whether a batch of the tenant's could reach a subscriber, so ingest can skip building
   * its items: while this process has one, or (on a PostgreSQL server) while the registry
   * says another collector may (`watcher-registry.ts`).
   */
  watched(tenantId: string): boolean
  /** How many subscriptions the tenant holds on this process. */
  subscribers(tenantId: string): number
  /** Ends every subscription and refuses new ones; publishing goes on until the database closes. */
  close(): void
}

/** What a feed runs on. */
export interface EventFeedOptions {
  db: Kysely<Database>
  /** On a PostgreSQL server, the database's LISTEN (`StratumDatabase.listen`); without it (PGlite), the feed is in-process. */
  listen?: Listen
  log?: Logger
  maxStreamsPerTenant?: number
  queueCapacity?: number
}

interface Subscriber {
  filter: FeedFilter
  queue: SubscriberQueue
}

interface TenantFeed {
  subscribers: Set<Subscriber>
  /** The tenant's LISTEN, while anyone on this process subscribes to it. */
  listening?: Promise<{ unlisten(): Promise<void> }>
  /** This collector's registration as watching the tenant, until every collector announces its batches. */
  registered?: Promise<void>
}

/**
 * Creates the process's event feed. On PGlite, one process holds the
 * database: publishing hands the items straight to this process's
 * subscribers. On a PostgreSQL server, publishing is a NOTIFY on the
 * tenant's channel, and each process LISTENs to the channels of the tenants
 * it has subscribers for, on one connection opened with its first
 * subscriber — so every collector on the database sees every event. A
 * collector registers the tenants it watches (`live_watchers`), and the
 * others send a batch's NOTIFY only for a tenant someone watches.
 *
 * @example
 * const feed = createEventFeed({ db: database.db, listen: database.listen, log })
 * const subscription = await feed.subscribe(tenantId, { band: 'poor' })
 */
export function createEventFeed(options: EventFeedOptions): EventFeed {
  const { db, listen, log } = options
  const maxStreams = options.maxStreamsPerTenant ?? MAX_STREAMS_PER_TENANT
  const capacity = options.queueCapacity ?? STREAM_QUEUE_CAPACITY
  const tenants = new Map<string, TenantFeed>()
  const watchers = listen ? createWatcherRegistry(db, { log }) : undefined
  let closed = false

  const deliver = (tenantId: string, items: readonly FeedItem[]) => {
    const feed = tenants.get(tenantId)
    if (!feed) return
    for (const subscriber of feed.subscribers) {
      for (const item of items) if (matchesFilter(item, subscriber.filter)) subscriber.queue.push(item)
    }
  }
  const startListening = (tenantId: string) =>
    listen?.(feedChannel(tenantId), (payload) => {
      const items = parseFeedPayload(payload)
      if (items) deliver(tenantId, items)
      else log?.warn('live_payload_unreadable', { tenant: tenantId })
    })
  const leave = (tenantId: string, feed: TenantFeed, subscriber: Subscriber) => {
    subscriber.queue.close()
    if (!feed.subscribers.delete(subscriber) || feed.subscribers.size > 0) return
    if (tenants.get(tenantId) === feed) {
      tenants.delete(tenantId)
      watchers?.unwatch(tenantId)
    }
    // postgres.js counts listeners per channel: a newer subscriber's LISTEN of the same channel survives this one.
    feed.listening?.then((handle) => handle.unlisten()).catch(() => {})
  }

  return {
    async publish(tenantId, items) {
      if (items.length === 0) return
      if (!listen) return deliver(tenantId, items)
      try {
        const oversized = await notifyFeed(db, tenantId, items)
        if (oversized > 0) log?.warn('live_items_oversized', { tenant: tenantId, items: oversized })
      } catch (error) {
        // The events are stored: a feed that misses them must not turn the answer into an error.
        log?.warn('live_publish_failed', { tenant: tenantId, error: (error as Error).message })
      }
    },
    async subscribe(tenantId, filter) {
      if (closed) throw new StratumError(503, 'shutting_down', 'The collector is shutting down', [], { 'Retry-After': '1' })
      let feed = tenants.get(tenantId)
      if (feed && feed.subscribers.size >= maxStreams) {
        throw new StratumError(429, 'too_many_streams', `A tenant may hold ${maxStreams} live streams on one collector`, [], { 'Retry-After': '5' })
      }
      if (!feed) {
        feed = { subscribers: new Set(), listening: startListening(tenantId), registered: watchers?.watch(tenantId) }
        tenants.set(tenantId, feed)
      }
      const subscriber: Subscriber = { filter, queue: createSubscriberQueue(capacity) }
      feed.subscribers.add(subscriber)
      const joined = feed
      try {
        await Promise.all([joined.listening, joined.registered])
      } catch (error) {
        leave(tenantId, joined, subscriber)
        throw error
      }
      return { next: () => subscriber.queue.next(), close: () => leave(tenantId, joined, subscriber) }
    },
    watched: (tenantId) => tenants.has(tenantId) || (watchers?.watched(tenantId) ?? false),
    subscribers: (tenantId) => tenants.get(tenantId)?.subscribers.size ?? 0,
    close() {
      closed = true
      for (const [tenantId, feed] of tenants) for (const subscriber of [...feed.subscribers]) leave(tenantId, feed, subscriber)
    },
  }
}
