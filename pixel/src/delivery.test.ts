import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createDelivery, type DeliveryDeps } from './delivery'
import { createEventQueue } from './event-queue'
import { createKeyValueStore } from './key-value-store'
import { createTabLock } from './tab-lock'
import { sharedStorage } from './testing/memory-storage'
import type { PostResult } from './transport'

type Event = { event_id: string; event_name: string }

function setup(answers: PostResult[] = [], overrides: Partial<DeliveryDeps<Event>> = {}) {
  const store = createKeyValueStore(sharedStorage())
  const outbox = createEventQueue<Event>(store, 'q_', Date.now)
  const requests: { events: string[]; keepalive: boolean }[] = []
  const warnings: string[] = []
  let online = true
  const deps: DeliveryDeps<Event> = {
    outbox,
    url: 'https://c.example/api/v1/cdp/events?source_key=sk',
    lock: createTabLock('lock', undefined, store, Date.now, 'tab'),
    post: async (_url, body, keepalive) => {
      requests.push({ events: JSON.parse(body).events.map((e: Event) => e.event_id), keepalive })
      return answers.shift() ?? { status: 200, json: { accepted: 1, duplicates: 0, rejected: [] } }
    },
    beacon: () => false,
    isOnline: () => online,
    now: Date.now,
    warn: (message) => warnings.push(message),
    flushAt: 20,
    flushIntervalMs: 2000,
    random: () => 1,
    ...overrides,
  }
  const delivery = createDelivery(deps)
  let n = 0
  const add = (count: number) => {
    for (let i = 0; i < count; i++) outbox.add({ event_id: `e${n++}`, event_name: 'Lead' })
    delivery.schedule()
  }
  return { delivery, outbox, requests, warnings, add, setOnline: (value: boolean) => (online = value) }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('createDelivery', () => {
  it('sends after 2 s when fewer than 20 events wait', async () => {
    const { add, requests, outbox } = setup()
    add(3)
    await vi.advanceTimersByTimeAsync(1999)
    expect(requests).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(requests).toEqual([{ events: ['e0', 'e1', 'e2'], keepalive: true }])
    expect(outbox.size()).toBe(0)
  })

  it('sends at once when 20 events wait', async () => {
    const { add, requests } = setup()
    add(19)
    await vi.advanceTimersByTimeAsync(0)
    expect(requests).toHaveLength(0)
    add(1)
    await vi.advanceTimersByTimeAsync(0)
    expect(requests[0]?.events).toHaveLength(20)
  })

  it('sends full batches at 20 and leaves the rest to the 2 s timer', async () => {
    const { add, requests } = setup()
    add(20)
    add(5)
    await vi.advanceTimersByTimeAsync(0)
    expect(requests.map((r) => r.events.length)).toEqual([20])
    await vi.advanceTimersByTimeAsync(2000)
    expect(requests.map((r) => r.events.length)).toEqual([20, 5])
  })

  it('retries 503 after the Retry-After the server asked for, then succeeds', async () => {
    const { add, requests, outbox } = setup([{ status: 503, retryAfterMs: 5000 }])
    add(2)
    await vi.advanceTimersByTimeAsync(2000)
    expect(requests).toHaveLength(1)
    expect(outbox.size()).toBe(2)
    await vi.advanceTimersByTimeAsync(4999)
    expect(requests).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(requests).toHaveLength(2)
    expect(outbox.size()).toBe(0)
  })

  it('backs off exponentially on network errors and 429, and does not flush meanwhile', async () => {
    const { add, requests, delivery } = setup([{ status: 0 }, { status: 429 }, { status: 0 }])
    add(1)
    await vi.advanceTimersByTimeAsync(2000)
    await delivery.flush()
    expect(requests).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1000) // attempt 1: up to 1 s
    expect(requests).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(2000) // attempt 2: up to 2 s
    expect(requests).toHaveLength(3)
    await vi.advanceTimersByTimeAsync(3999) // attempt 3: up to 4 s
    expect(requests).toHaveLength(3)
    await vi.advanceTimersByTimeAsync(1)
    expect(requests).toHaveLength(4)
  })

  it('drops a batch refused with 400 and warns', async () => {
    const { add, outbox, warnings } = setup([{ status: 400, json: { error: { code: 'invalid_envelope' } } }])
    add(2)
    await vi.advanceTimersByTimeAsync(2000)
    expect(outbox.size()).toBe(0)
    expect(warnings).toEqual(['dropped 2 events: HTTP 400'])
  })

  it('treats 408 as retryable', async () => {
    const { add, outbox } = setup([{ status: 408 }])
    add(1)
    await vi.advanceTimersByTimeAsync(2000)
    expect(outbox.size()).toBe(1)
    await vi.advanceTimersByTimeAsync(1000)
    expect(outbox.size()).toBe(0)
  })

  it('warns about events the collector rejected one by one', async () => {
    const rejected = [{ index: 0, code: 'invalid_event_name', message: 'x' }]
    const { add, outbox, warnings } = setup([{ status: 200, json: { accepted: 1, duplicates: 0, rejected } }])
    add(2)
    await vi.advanceTimersByTimeAsync(2000)
    expect(outbox.size()).toBe(0)
    expect(warnings).toEqual(['collector rejected 1 events'])
  })

  it('pauses while offline and sends as soon as the network is back', async () => {
    const { add, requests, delivery, setOnline } = setup()
    setOnline(false)
    add(1)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(requests).toHaveLength(0)
    setOnline(true)
    delivery.resume()
    await vi.advanceTimersByTimeAsync(0)
    expect(requests).toHaveLength(1)
  })

  it('resume() ends a backoff', async () => {
    const { add, requests, delivery } = setup([{ status: 503, retryAfterMs: 60_000 }])
    add(1)
    await vi.advanceTimersByTimeAsync(2000)
    delivery.resume()
    await vi.advanceTimersByTimeAsync(0)
    expect(requests).toHaveLength(2)
  })

  it('on unload, sends by keepalive fetch within 64 KiB and by sendBeacon beyond, in chunks under 64 KiB', async () => {
    const beacons: string[] = []
    const never = new Promise<PostResult>(() => {})
    const { outbox, delivery, requests } = setup([], {
      post: async (_url, body, keepalive) => {
        requests.push({ events: JSON.parse(body).events.map((e: Event) => e.event_id), keepalive })
        return never
      },
      beacon: (_url, body) => beacons.push(body) > 0,
    })
    const padding = 'x'.repeat(1000)
    for (let i = 0; i < 150; i++) outbox.add({ event_id: `e${i}`, event_name: padding })
    delivery.flushOnUnload()
    const keepaliveEvents = requests.flatMap((r) => r.events)
    const beaconEvents = beacons.flatMap((b) => JSON.parse(b).events.map((e: Event) => e.event_id))
    expect(requests.every((r) => r.keepalive)).toBe(true)
    expect(new Set([...keepaliveEvents, ...beaconEvents]).size).toBe(150)
    expect(keepaliveEvents.length + beaconEvents.length).toBe(150)
    for (const body of beacons) expect(new TextEncoder().encode(body).length).toBeLessThan(64 * 1024)
    // Nothing is removed before an acknowledgement: a lost beacon is sent again by a later page.
    expect(outbox.size()).toBe(150)
    // A second hide (tab switched back and forth) does not send the same events again.
    const before = requests.length + beacons.length
    delivery.flushOnUnload()
    expect(requests.length + beacons.length).toBe(before)
  })

  it('lets one tab send at a time, and waits for the interval rather than spinning on the lock', async () => {
    const store = createKeyValueStore(sharedStorage())
    store.set('lock', `other-tab ${Date.now() + 60_000}`)
    const lock = createTabLock('lock', undefined, store, Date.now, 'tab')
    let attempts = 0
    const counted: typeof lock = (task) => {
      attempts++
      return lock(task)
    }
    const { add, requests } = setup([], { lock: counted })
    add(25)
    await vi.advanceTimersByTimeAsync(2000)
    expect(requests).toHaveLength(0)
    expect(attempts).toBeLessThanOrEqual(2)
    store.remove('lock')
    await vi.advanceTimersByTimeAsync(2000)
    expect(requests).toHaveLength(1)
  })
})
