import type { FeedItem } from './feed-item'

/** What a subscriber reads: a feed item, or how many items it missed because it read too slowly. */
export type FeedMessage = FeedItem | { kind: 'lagged'; data: { dropped: number } }

/**
 * A subscriber's bounded queue (collector/docs/live-events.md, "Limits").
 * A reader slower than the feed never grows it past `capacity` items: what
 * does not fit is dropped and counted, and the reader gets one `lagged`
 * message at the place of the gap, then the items that came after it.
 */
export interface SubscriberQueue {
  push(item: FeedItem): void
  /** The next message, waiting for one; `null` once the queue is closed. */
  next(): Promise<FeedMessage | null>
  /** Ends the queue: a waiting `next()` gets `null`, queued messages are discarded. */
  close(): void
  readonly closed: boolean
}

/**
 * @example
 * const queue = createSubscriberQueue(1000)
 * queue.push(item)
 * await queue.next() // item
 */
export function createSubscriberQueue(capacity: number): SubscriberQueue {
  const messages: FeedMessage[] = []
  let waiting: ((message: FeedMessage | null) => void) | undefined
  let closed = false
  return {
    get closed() {
      return closed
    },
    push(item) {
      if (closed) return
      if (waiting) {
        const wake = waiting
        waiting = undefined
        wake(item)
        return
      }
      if (messages.length < capacity) {
        messages.push(item)
        return
      }
      // Full: one lag marker at the tail counts every item dropped in a row.
      const tail = messages.at(-1)
      if (tail?.kind === 'lagged') tail.data.dropped++
      else messages.push({ kind: 'lagged', data: { dropped: 1 } })
    },
    next() {
      if (closed) return Promise.resolve(null)
      const message = messages.shift()
      if (message) return Promise.resolve(message)
      return new Promise((resolve) => {
        waiting = resolve
      })
    },
    close() {
      if (closed) return
      closed = true
      messages.length = 0
      waiting?.(null)
      waiting = undefined
    },
  }
}
