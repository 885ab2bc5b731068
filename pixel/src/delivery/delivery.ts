import { guard } from '../safe'
import { retryDelay } from './backoff'
import type { BatchCaps } from './batch-caps'
import { type Batch, packBatches } from './batches'
import type { EventQueue } from './event-queue'
import type { TabLock } from './tab-lock'
import { isRetryable, type PostResult } from './transport'

/**
 * What the delivery loop needs; injected so that it runs in unit tests.
 *
 * @example
 * createDelivery({ outbox, caps, url, lock, channel, post: postText, beacon: sendBeaconText, keepaliveBudget: 60_000, isOnline, now: Date.now, warn, flushAt: 20, flushIntervalMs: 2000 })
 */
export interface DeliveryDeps<E extends { event_id: string }> {
  outbox: EventQueue<E>
  caps: BatchCaps
  url: string
  lock: TabLock
  /**
   * Where the tabs sharing the outbox tell each other which events they are sending (a
   * `BroadcastChannel`), so that the next sender skips them even before its view of
   * localStorage has caught up with their removal.
   */
  channel?: Pick<BroadcastChannel, 'postMessage' | 'onmessage'>
  post(url: string, body: string, keepalive: boolean): Promise<PostResult>
  beacon(url: string, body: string): boolean
  /**
   * Bytes of keepalive bodies the browser lets outlive the page at once (64 KiB; keep a margin):
   * 0 where fetch has no `keepalive`, so that unload flushes go by `sendBeacon`.
   */
  keepaliveBudget: number
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
/** Unload chunks: two fit the keepalive budget; `sendBeacon` refuses bodies over 64 KiB. */
const UNLOAD_BYTES = 30_000
/** Collector limit is 500; 100 keeps one request's work and retry cost small. */
const MAX_EVENTS = 100
/**
 * Events on their way from another tab, or by a beacon (which gives no answer), are not sent
 * from this tab for this long: longer than a request may stay open (20 s, `transport.ts`), so
 * should they still be queued then, their sender is gone. A sender whose request failed does not
 * let its claim run out: it releases the events at once, and any tab may send them.
 */
const CLAIM_MS = 30_000

/**
 * The delivery loop. Events stay in the persisted outbox until the collector
 * acknowledged them (2xx) or refused them for good (4xx other than 408/429),
 * so every failure mode — network down, 5xx, 429, a reload, a crash — ends
 * with the events sent again later; the collector's `event_id` dedup turns
 * the rare double send into a counted duplicate. Retries back off
 * exponentially with jitter and honour `Retry-After`; a poison event that
 * makes every batch holding it fail is isolated and dropped (see
 * {@link BatchCaps}). One tab at a time sends (see {@link TabLock}) and
 * tells the others what it sends; requests use keepalive while the budget
 * allows so that they survive the page.
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
  /** event_id → time until which it counts as on its way. */
  const inFlight = new Map<string, number>()

  /** Marks events as on their way for the next `ms` (at most {@link CLAIM_MS}), or as waiting (0). */
  const hold = (ids: string[], ms: number) => {
    for (const id of ids) inFlight.set(id, ms && d.now() + ms)
  }
  const { channel } = d
  /** Holds events here and in the other tabs: a claim, or with `ms` 0 a release. */
  const claim = (ids: string[], ms: number) => {
    hold(ids, ms)
    channel?.postMessage([ids, ms])
  }
  if (channel) channel.onmessage = guard(({ data }: MessageEvent<[string[], number]>) => hold(...data))
  // An id no tab holds reads `undefined > now`, which is false: it is waiting.
  const waiting = () => d.outbox.list().filter((e) => !(inFlight.get(e.event_id)! > d.now()))
  const batches = (events: E[], maxBytes: number) =>
    packBatches(events, new Date(d.now()).toISOString(), maxBytes, MAX_EVENTS, d.caps.read())

  const backOff = (retryAfterMs?: number) => {
    if (retryTimer) return
    attempt++
    retryTimer = setTimeout(() => {
      retryTimer = undefined
      flush()
    }, retryDelay(attempt, retryAfterMs, d.random))
  }

  const fits = (batch: Batch) => keepaliveBytes + batch.bytes <= d.keepaliveBudget

  /** Sends one batch and settles it; `false` when the loop should stop and back off. */
  const send = async (batch: Batch): Promise<boolean> => {
    const ids = batch.eventIds
    const keepalive = fits(batch)
    if (keepalive) keepaliveBytes += batch.bytes
    // For longer than the request may stay open (it times out at 20 s).
    claim(ids, CLAIM_MS)
    const { status, retryAfterMs, json } = await d.post(d.url, batch.body, keepalive)
    if (keepalive) keepaliveBytes -= batch.bytes
    const gone = d.caps.settle(ids, status)
    d.outbox.remove(gone)
    // What the answer left queued (a failure) is no longer on its way: no tab need wait for it.
    claim(
      ids.filter((id) => !gone.includes(id)),
      0,
    )
    // Refused for good: the whole batch (4xx), a poison event (500), or single events of an acknowledged batch.
    const dropped = status < 300 ? (json as { rejected?: unknown[] } | undefined)?.rejected || [] : gone
    if (dropped.length) d.warn(`dropped ${dropped.length} events: HTTP ${status}`, json)
    if (isRetryable(status)) {
      backOff(retryAfterMs)
      return false
    }
    attempt = 0
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
      for (const batch of batches(waiting(), UNLOAD_BYTES)) {
        if (fits(batch)) void send(batch)
        else if (d.beacon(d.url, batch.body)) claim(batch.eventIds, CLAIM_MS)
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
