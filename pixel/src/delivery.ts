import { retryDelay } from './backoff'
import { type Batch, packBatches } from './batches'
import type { EventQueue } from './event-queue'
import type { TabLock } from './tab-lock'
import { isRetryable, type PostResult } from './transport'

/**
 * What the delivery loop needs; injected so that it runs in unit tests.
 *
 * @example
 * createDelivery({ outbox, url, lock, post: postText, beacon: sendBeaconText, isOnline, now: Date.now, warn, flushAt: 20, flushIntervalMs: 2000 })
 */
export interface DeliveryDeps<E extends { event_id: string }> {
  outbox: EventQueue<E>
  url: string
  lock: TabLock
  post(url: string, body: string, keepalive: boolean): Promise<PostResult>
  beacon(url: string, body: string): boolean
  isOnline(): boolean
  now(): number
  warn(message: string, detail?: unknown): void
  flushAt: number
  flushIntervalMs: number
  random?: () => number
}

/**
 * Sends the outbox to the collector.
 *
 * @example
 * delivery.schedule() // after outbox.add(event)
 */
export interface Delivery {
  /** Call after queuing an event: sends at `flushAt` events or after `flushIntervalMs`. */
  schedule(): void
  /** Sends everything now unless offline or backing off; resolves when done. */
  flush(): Promise<void>
  /** The page may be about to go away: hand what is left to keepalive fetch or `sendBeacon`. */
  flushOnUnload(): void
  /** The network is back: forget the backoff and send now. */
  resume(): void
}

/** Per-request bytes in normal operation: small enough to leave keepalive budget for an unload. */
const BATCH_BYTES = 32_000
/** The browser allows 64 KiB of keepalive bodies in flight per page; keep a margin. */
const KEEPALIVE_BUDGET = 60_000
/** Collector limit is 500; 100 keeps one request's work and retry cost small. */
const MAX_EVENTS = 100
/** A beacon gives no answer: its events are not re-sent from this page for this long. */
const BEACON_GRACE_MS = 30_000

/**
 * The delivery loop. Events stay in the persisted outbox until the collector
 * acknowledged them (2xx) or refused them for good (4xx other than 408/429),
 * so every failure mode — network down, 5xx, 429, a reload, a crash — ends
 * with the events sent again later; the collector's `event_id` dedup turns
 * the rare double send into a counted duplicate. Retries back off
 * exponentially with jitter and honour `Retry-After`. One tab at a time
 * sends (see {@link TabLock}); requests use keepalive while the budget allows
 * so that they survive the page.
 *
 * @example
 * const delivery = createDelivery({ outbox, url, lock, post: postText, beacon: sendBeaconText, … })
 * outbox.add(event)
 * delivery.schedule()
 */
export function createDelivery<E extends { event_id: string }>(d: DeliveryDeps<E>): Delivery {
  let timer: ReturnType<typeof setTimeout> | undefined
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let attempt = 0
  let draining: Promise<void> | undefined
  /** Whether the running flush sends everything, or only full batches (one triggered by `flushAt`). */
  let sendAll = false
  let keepaliveBytes = 0
  /** event_id → time until which it counts as on its way (Infinity while its request is open). */
  const inFlight = new Map<string, number>()

  const waiting = () => d.outbox.list().filter((e) => !((inFlight.get(e.event_id) || 0) > d.now()))
  const batches = (events: E[], maxBytes: number) =>
    packBatches(events, new Date(d.now()).toISOString(), maxBytes, MAX_EVENTS)

  const backOff = (retryAfterMs?: number) => {
    if (retryTimer) return
    attempt++
    retryTimer = setTimeout(() => {
      retryTimer = undefined
      flush()
    }, retryDelay(attempt, retryAfterMs, d.random))
  }

  /** Sends one batch and settles it; `false` when the loop should stop and back off. */
  const send = async (batch: Batch): Promise<boolean> => {
    const keepalive = keepaliveBytes + batch.bytes <= KEEPALIVE_BUDGET
    if (keepalive) keepaliveBytes += batch.bytes
    for (const id of batch.eventIds) inFlight.set(id, Infinity)
    const { status, retryAfterMs, json } = await d.post(d.url, batch.body, keepalive)
    if (keepalive) keepaliveBytes -= batch.bytes
    for (const id of batch.eventIds) inFlight.delete(id)
    if (isRetryable(status)) {
      backOff(retryAfterMs)
      return false
    }
    attempt = 0
    d.outbox.remove(batch.eventIds)
    const rejected = (json as { rejected?: unknown[] } | undefined)?.rejected
    if (status >= 300) d.warn(`dropped ${batch.eventIds.length} events: HTTP ${status}`, json)
    else if (rejected?.length) d.warn(`collector rejected ${rejected.length} events`, rejected)
    return true
  }

  const drain = async () => {
    for (let events = waiting(); events.length && (sendAll || events.length >= d.flushAt); events = waiting()) {
      if (!(await send(batches(events, BATCH_BYTES)[0]!))) return
    }
  }

  const flush = (all = true): Promise<void> => {
    sendAll ||= all
    if (all) {
      clearTimeout(timer)
      timer = undefined
    }
    if (!draining && !retryTimer && d.isOnline()) {
      draining = d
        .lock(drain)
        .catch((error) => {
          d.warn('delivery failed', error)
          return true
        })
        .then((locked) => {
          draining = undefined
          sendAll = false
          // Another tab is sending: look again after the interval rather than spinning on the lock.
          if (!locked) timer ||= setTimeout(flush, d.flushIntervalMs)
          else schedule()
        })
    }
    return draining || Promise.resolve()
  }

  const schedule = () => {
    const count = waiting().length
    if (count >= d.flushAt) void flush(false)
    else if (!timer && count) timer = setTimeout(flush, d.flushIntervalMs)
  }

  return {
    schedule,
    flush: () => flush(),
    flushOnUnload() {
      if (retryTimer || !d.isOnline()) return
      for (const batch of batches(waiting(), KEEPALIVE_BUDGET / 2)) {
        if (keepaliveBytes + batch.bytes <= KEEPALIVE_BUDGET) void send(batch)
        else if (d.beacon(d.url, batch.body)) {
          for (const id of batch.eventIds) inFlight.set(id, d.now() + BEACON_GRACE_MS)
        }
      }
    },
    resume() {
      clearTimeout(retryTimer)
      retryTimer = undefined
      attempt = 0
      void flush()
    },
  }
}
