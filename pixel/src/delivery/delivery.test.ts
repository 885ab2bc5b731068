import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createKeyValueStore, type KeyValueStore } from '../key-value-store'
import { fakeChannels } from '../testing/fake-channels'
import { fakeLocks } from '../testing/fake-locks'
import { sharedStorage } from '../testing/memory-storage'
import { createBatchCaps } from './batch-caps'
import { createDelivery, type DeliveryDeps } from './delivery'
import { createEventQueue } from './event-queue'
import { createTabLock } from './tab-lock'
import type { PostResult } from './transport'

type Event = { event_id: string; event_name: string }

const ok: PostResult = { status: 200, json: { accepted: 1, duplicates: 0, rejected: [] } }
const idsOf = (body: string): string[] => JSON.parse(body).events.map((e: Event) => e.event_id)

function setup(
  answers: PostResult[] | ((events: string[]) => PostResult) = [],
  overrides: Partial<DeliveryDeps<Event>> = {},
  store: KeyValueStore = createKeyValueStore(sharedStorage()),
) {
  const outbox = createEventQueue<Event>(store, 'q_', Date.now)
  const requests: { events: string[]; keepalive: boolean }[] = []
  const warnings: string[] = []
  let online = true
  const deps: DeliveryDeps<Event> = {
    outbox,
    caps: createBatchCaps(store, 'caps'),
    url: 'https://c.example/api/v1/cdp/events?source_key=sk',
    lock: createTabLock('lock', fakeLocks()),
    post: async (_url, body, keepalive) => {
      const events = idsOf(body)
      requests.push({ events, keepalive })
      return (typeof answers === 'function' ? answers(events) : answers.shift()) ?? ok
    },
    beacon: () => false,
    keepaliveBudget: 60_000,
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
  return { delivery, outbox, store, requests, warnings, add, setOnline: (value: boolean) => (online = value) }
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

  describe('a poison event (the collector answers 500 to any batch holding it)', () => {
    const poisoned = (status = 500) => (events: string[]) => (events.includes('poison') ? { status } : ok)
    const sendsOf = (requests: { events: string[] }[]) => {
      const counts: Record<string, number> = {}
      for (const id of requests.flatMap((r) => r.events)) counts[id] = (counts[id] || 0) + 1
      return counts
    }

    it('is isolated by halving its batches, dropped after three attempts alone, and the rest goes through once', async () => {
      const { outbox, requests, warnings, delivery, store } = setup(poisoned())
      for (const id of ['e0', 'e1', 'e2', 'poison', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8']) outbox.add({ event_id: id, event_name: 'Lead' })
      void delivery.flush()
      await vi.advanceTimersByTimeAsync(120_000)
      expect(outbox.size()).toBe(0)
      const sizes = requests.filter((r) => r.events.includes('poison')).map((r) => r.events.length)
      expect(sizes).toEqual([10, 5, 3, 2, 1, 1, 1])
      const { poison, ...others } = sendsOf(requests)
      expect(poison).toBe(sizes.length)
      expect(Object.keys(others)).toHaveLength(9)
      // Each other event is acknowledged once; the ones that shared a failed batch were only retried, never re-sent after an ack.
      expect(requests.filter((r) => !r.events.includes('poison')).flatMap((r) => r.events).sort()).toEqual(
        ['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8'],
      )
      expect(warnings).toEqual(['dropped 1 events: HTTP 500'])
      expect(store.get('caps')).toBe('{}')
    })

    it('keeps isolating it on the next page, with the caps it left in storage', async () => {
      const store = createKeyValueStore(sharedStorage())
      const first = setup(poisoned(), {}, store)
      for (const id of ['poison', ...Array.from({ length: 15 }, (_, i) => `e${i}`)]) first.outbox.add({ event_id: id, event_name: 'Lead' })
      void first.delivery.flush()
      await vi.advanceTimersByTimeAsync(1000) // two failures (16, then 8 events); the page goes away
      first.setOnline(false)
      expect(first.requests.map((r) => r.events.length)).toEqual([16, 8])
      const next = setup(poisoned(), {}, store)
      void next.delivery.flush()
      await vi.advanceTimersByTimeAsync(120_000)
      expect(next.requests[0]?.events).toHaveLength(4)
      expect(next.outbox.size()).toBe(0)
      expect(next.requests.filter((r) => r.events.includes('poison')).map((r) => r.events.length)).toEqual([4, 2, 1, 1, 1])
    })

    it.each([502, 503, 504, 0, 429, 408])('is neither split nor dropped on %i, which says nothing about the batch', async (status) => {
      const { outbox, requests, delivery, warnings } = setup(poisoned(status))
      for (const id of ['e0', 'poison', 'e1']) outbox.add({ event_id: id, event_name: 'Lead' })
      void delivery.flush()
      await vi.advanceTimersByTimeAsync(600_000)
      expect(requests.length).toBeGreaterThan(10)
      expect(requests.every((r) => r.events.length === 3)).toBe(true)
      expect(outbox.size()).toBe(3)
      expect(warnings).toEqual([])
    })
  })

  describe('two tabs sharing the outbox', () => {
    /**
     * A tab's view of the shared localStorage that, like Chromium's, learns of
     * another tab's removals late: after `freeze()`, keys removed elsewhere
     * still read as they were.
     */
    function laggingView(shared: KeyValueStore) {
      let seen = new Map<string, string>()
      const store: KeyValueStore = {
        get: (key) => shared.get(key) ?? seen.get(key) ?? null,
        set: (key, value) => shared.set(key, value),
        remove(key) {
          seen.delete(key)
          shared.remove(key)
        },
        keys: () => [...new Set([...shared.keys(), ...seen.keys()])],
      }
      return { store, freeze: () => (seen = new Map(shared.keys().map((key) => [key, shared.get(key)!]))) }
    }

    function twoTabs(overridesOfA: Partial<DeliveryDeps<Event>> = {}) {
      const shared = createKeyValueStore(sharedStorage())
      const locks = fakeLocks()
      const [channelA, channelB] = fakeChannels(2)
      const tabA = setup([], { lock: createTabLock('lock', locks), channel: channelA, ...overridesOfA }, shared)
      const view = laggingView(shared)
      const tabB = setup([], { lock: createTabLock('lock', locks), channel: channelB }, view.store)
      return { tabA, tabB, view, locks }
    }

    it("never re-sends what the other tab's sender had acknowledged, however late its removals show", async () => {
      const { tabA, tabB, view } = twoTabs()
      tabA.add(5)
      view.freeze()
      await tabA.delivery.flush()
      expect(tabA.requests.map((r) => r.events)).toEqual([['e0', 'e1', 'e2', 'e3', 'e4']])
      expect(tabB.outbox.size()).toBe(5) // tab B still sees them queued
      await tabB.delivery.flush()
      expect(tabB.requests).toEqual([])
    })

    it('sends what a sender that went away had claimed, once the claim expired', async () => {
      const { tabA, tabB, locks } = twoTabs({ post: () => new Promise<PostResult>(() => {}) })
      tabA.add(3)
      void tabA.delivery.flush()
      await vi.advanceTimersByTimeAsync(0)
      locks.held.clear() // tab A is closed mid-request: the browser releases its lock
      await tabB.delivery.flush()
      expect(tabB.requests).toEqual([])
      await vi.advanceTimersByTimeAsync(30_000)
      await tabB.delivery.flush()
      expect(tabB.requests.map((r) => r.events)).toEqual([['e0', 'e1', 'e2']])
    })

    it('sends at once what the other tab failed to send, instead of waiting out its claim', async () => {
      const failed: string[][] = []
      const post = async (_url: string, body: string): Promise<PostResult> => {
        failed.push(idsOf(body))
        return { status: 0 }
      }
      const { tabA, tabB } = twoTabs({ post })
      tabA.add(3)
      await tabA.delivery.flush() // tab A backs off, and may be closed before it retries
      expect(failed).toEqual([['e0', 'e1', 'e2']])
      await tabB.delivery.flush()
      expect(tabB.requests.map((r) => r.events)).toEqual([['e0', 'e1', 'e2']])
      expect(tabB.outbox.size()).toBe(0)
    })

    it('keeps skipping what the other tab had acknowledged after a failed attempt', async () => {
      const answers: PostResult[] = [{ status: 503 }, ok]
      const { tabA, tabB, view } = twoTabs({ post: async () => answers.shift()! })
      tabA.add(2)
      await tabA.delivery.flush()
      view.freeze()
      await vi.advanceTimersByTimeAsync(1000) // tab A's retry succeeds; tab B does not see the removal yet
      expect(answers).toEqual([])
      expect(tabB.outbox.size()).toBe(2)
      await tabB.delivery.flush()
      expect(tabB.requests).toEqual([])
    })

    it('does not send what the other tab handed to sendBeacon', async () => {
      const beacons: string[][] = []
      const { tabA, tabB } = twoTabs({ keepaliveBudget: 0, beacon: (_url, body) => beacons.push(idsOf(body)) > 0 })
      tabA.add(2)
      tabA.delivery.flushOnUnload()
      await vi.advanceTimersByTimeAsync(0)
      await tabB.delivery.flush()
      expect(beacons).toEqual([['e0', 'e1']])
      expect(tabB.requests).toEqual([])
    })
  })

  it('where fetch has no keepalive, sends without it and unloads by sendBeacon', async () => {
    const beacons: string[][] = []
    const { delivery, requests, add, outbox } = setup([], { keepaliveBudget: 0, beacon: (_url, body) => beacons.push(idsOf(body)) > 0 })
    add(3)
    await vi.advanceTimersByTimeAsync(2000)
    expect(requests).toEqual([{ events: ['e0', 'e1', 'e2'], keepalive: false }])
    add(2)
    delivery.flushOnUnload()
    expect(beacons).toEqual([['e3', 'e4']])
    expect(requests).toHaveLength(1)
    expect(outbox.size()).toBe(2) // a beacon gives no answer: a later page re-sends them if they were lost
  })

  it('warns about events the collector rejected one by one', async () => {
    const rejected = [{ index: 0, code: 'invalid_event_name', message: 'x' }]
    const { add, outbox, warnings } = setup([{ status: 200, json: { accepted: 1, duplicates: 0, rejected } }])
    add(2)
    await vi.advanceTimersByTimeAsync(2000)
    expect(outbox.size()).toBe(0)
    expect(warnings).toEqual(['dropped 1 events: HTTP 200'])
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
    const locks = fakeLocks()
    locks.held.add('lock') // another tab is sending
    const lock = createTabLock('lock', locks)
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
    locks.held.delete('lock')
    await vi.advanceTimersByTimeAsync(2000)
    expect(requests).toHaveLength(1)
  })
})
