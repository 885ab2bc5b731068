import { expect, test } from 'vitest'
import type { FeedItem } from './feed-item'
import { notifyChunks } from './notify-chunks'

const item = (message: string): FeedItem => ({
  kind: 'rejected',
  data: { event_id: null, event_name: null, source_id: null, received_at: '2026-01-01T00:00:00.000Z', code: 'invalid_event', message },
})

test('payloads stay under the byte limit, keep the order, and leave out only what can never fit', () => {
  // Multi-byte text: the limit is in UTF-8 bytes, not characters.
  const items = Array.from({ length: 40 }, (_, i) => item(`${i} ${'é'.repeat(100)}`))
  const { payloads, oversized } = notifyChunks([...items, item('x'.repeat(1000))], 1000)
  expect(oversized).toBe(1)
  expect(payloads.length).toBeGreaterThan(1)
  for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(1000)
  expect(payloads.flatMap((p) => JSON.parse(p))).toEqual(items)
})
