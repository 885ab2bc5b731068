import type { KeyValueStore } from '../key-value-store'

/**
 * Events one queue keeps at most (~1–2 MB): when the collector refuses or cannot be reached for
 * days, the oldest go first, so the pixel never fills the site's own localStorage quota.
 *
 * @example
 * createEventQueue(store, 'stratum_q_', Date.now, MAX_QUEUED_EVENTS)
 */
export const MAX_QUEUED_EVENTS = 1000

/**
 * A persisted queue of events, keyed and deduplicated by `event_id`.
 *
 * @example
 * outbox.add(event); outbox.remove([event.event_id])
 */
export interface EventQueue<E extends { event_id: string }> {
  /** Stores the event; an `event_id` already queued is ignored. */
  add(event: E): void
  /** Queued events, oldest first. */
  list(): E[]
  remove(eventIds: Iterable<string>): void
  size(): number
}

interface StoredEvent<E> {
  /** Enqueue time, so tabs sharing the queue agree on the order. */
  t: number
  /** Tie-breaker within one millisecond of one tab. */
  n: number
  e: E
}

/**
 * A queue that stores each event under its own key (`<prefix><event_id>`),
 * so that adding and removing are single `setItem`/`removeItem` calls: tabs
 * sharing the queue never lose each other's events to a read-modify-write
 * race, and an event written twice (a replay, a second tab) is stored once.
 * Events are written before any send, so a reload, a crash or an offline
 * spell loses nothing.
 *
 * @example
 * const outbox = createEventQueue<WireEvent>(store, 'stratum_q_', Date.now)
 * outbox.add(event)
 * outbox.remove([event.event_id])
 */
export function createEventQueue<E extends { event_id: string }>(
  store: KeyValueStore,
  prefix: string,
  now: () => number,
  limit = MAX_QUEUED_EVENTS,
): EventQueue<E> {
  let counter = 0
  const keys = () => store.keys().filter((key) => key.startsWith(prefix))
  const queue: EventQueue<E> = {
    add(event) {
      const key = prefix + event.event_id
      if (store.get(key) !== null) return
      if (keys().length >= limit) queue.remove([queue.list()[0]!.event_id])
      store.set(key, JSON.stringify({ t: now(), n: counter++, e: event }))
    },
    list() {
      const stored: StoredEvent<E>[] = []
      for (const key of keys()) {
        // Another tab may remove a key between listing and reading it.
        const raw = store.get(key)
        try {
          if (raw) stored.push(JSON.parse(raw))
        } catch {
          store.remove(key)
        }
      }
      return stored.sort((a, b) => a.t - b.t || a.n - b.n).map((s) => s.e)
    },
    remove(eventIds) {
      for (const id of eventIds) store.remove(prefix + id)
    },
    size: () => keys().length,
  }
  return queue
}
