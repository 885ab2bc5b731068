import { describe, expect, test } from 'vitest'
import type { FeedItem } from './feed-item'
import { createSubscriberQueue } from './subscriber-queue'

const item = (n: number): FeedItem => ({
  kind: 'rejected',
  data: { event_id: null, event_name: `E${n}`, source_id: null, received_at: '2026-01-01T00:00:00.000Z', code: 'invalid_event', message: '' },
})
const names = (messages: unknown[]) => messages.map((m: any) => (m.kind === 'lagged' ? `lagged:${m.data.dropped}` : m.data.event_name))

describe('a subscriber queue', () => {
  test('a slow reader keeps at most its capacity, then one lagged message counting what it missed', async () => {
    const queue = createSubscriberQueue(2)
    for (let n = 1; n <= 5; n++) queue.push(item(n))
    const first = [await queue.next(), await queue.next(), await queue.next()]
    expect(names(first)).toEqual(['E1', 'E2', 'lagged:3'])
    queue.push(item(6))
    expect(names([await queue.next()])).toEqual(['E6'])
  })

  test('a waiting reader gets the next item; closing hands it null and ends the queue', async () => {
    const queue = createSubscriberQueue(2)
    const waiting = queue.next()
    queue.push(item(1))
    expect(names([await waiting])).toEqual(['E1'])
    const pending = queue.next()
    queue.close()
    expect(await pending).toBeNull()
    queue.push(item(2))
    expect(await queue.next()).toBeNull()
  })
})
