import { describe, expect, it } from 'vitest'
import { createKeyValueStore } from '../key-value-store'
import { memoryStorage, sharedStorage } from '../testing/memory-storage'
import { createEventQueue } from './event-queue'

const event = (id: string) => ({ event_id: id, event_name: 'Lead' })

describe('createEventQueue', () => {
  it('lists events oldest first and removes acknowledged ones', () => {
    let clock = 1000
    const queue = createEventQueue(createKeyValueStore(sharedStorage()), 'q_', () => clock)
    queue.add(event('b'))
    clock = 2000
    queue.add(event('a'))
    queue.add(event('c'))
    expect(queue.list().map((e) => e.event_id)).toEqual(['b', 'a', 'c'])
    queue.remove(['a', 'b'])
    expect(queue.list().map((e) => e.event_id)).toEqual(['c'])
    expect(queue.size()).toBe(1)
  })

  it('stores an event_id once, whoever adds it again', () => {
    const storage = memoryStorage()
    const tabA = createEventQueue<ReturnType<typeof event>>(createKeyValueStore(() => storage), 'q_', () => 1)
    const tabB = createEventQueue<ReturnType<typeof event>>(createKeyValueStore(() => storage), 'q_', () => 2)
    tabA.add(event('x'))
    tabB.add({ ...event('x'), event_name: 'Replay' })
    expect(tabA.list()).toEqual([event('x')])
  })

  it('never loses an event to another tab writing the same queue', () => {
    const storage = memoryStorage()
    const tabs = [1, 2, 3].map(() => createEventQueue(createKeyValueStore(() => storage), 'q_', Date.now))
    for (let i = 0; i < 30; i++) tabs[i % 3]!.add(event(`e${i}`))
    tabs[0]!.remove(['e0', 'e1'])
    expect(tabs[2]!.size()).toBe(28)
  })

  it('ignores other prefixes and drops unreadable entries', () => {
    const storage = memoryStorage()
    storage.setItem('other_1', '{}')
    storage.setItem('q_broken', '{not json')
    const queue = createEventQueue(createKeyValueStore(() => storage), 'q_', Date.now)
    queue.add(event('ok'))
    expect(queue.list().map((e) => e.event_id)).toEqual(['ok'])
    expect(storage.getItem('q_broken')).toBeNull()
    expect(storage.getItem('other_1')).toBe('{}')
  })

  it('keeps working in memory when localStorage throws', () => {
    const queue = createEventQueue(
      createKeyValueStore(() => {
        throw new DOMException('denied', 'SecurityError')
      }),
      'q_',
      Date.now,
    )
    queue.add(event('m'))
    expect(queue.list().map((e) => e.event_id)).toEqual(['m'])
    queue.remove(['m'])
    expect(queue.size()).toBe(0)
  })

  it('keeps an event in memory when the quota is full', () => {
    const storage = memoryStorage()
    storage.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError')
    }
    const queue = createEventQueue(createKeyValueStore(() => storage), 'q_', Date.now)
    queue.add(event('big'))
    expect(queue.size()).toBe(1)
  })

  it('drops the oldest event beyond its limit, so it never fills the site\'s storage', () => {
    let clock = 0
    const queue = createEventQueue(createKeyValueStore(sharedStorage()), 'q_', () => clock++, 3)
    for (const id of ['a', 'b', 'c', 'd']) queue.add(event(id))
    expect(queue.list().map((e) => e.event_id)).toEqual(['b', 'c', 'd'])
  })
})
