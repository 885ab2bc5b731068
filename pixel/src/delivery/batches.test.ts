import { describe, expect, it } from 'vitest'
import { packBatches } from './batches'

const events = (count: number, size = 10) =>
  Array.from({ length: count }, (_, i) => ({ event_id: `e${i}`, padding: 'é'.repeat(size) }))

describe('packBatches', () => {
  it('keeps order and splits at maxEvents', () => {
    const batches = packBatches(events(5), '2026-01-13T15:30:01.000Z', 60_000, 2)
    expect(batches.map((b) => b.eventIds)).toEqual([['e0', 'e1'], ['e2', 'e3'], ['e4']])
    expect(JSON.parse(batches[0]!.body)).toEqual({ sent_at: '2026-01-13T15:30:01.000Z', events: events(2) })
  })

  it('keeps every body under maxBytes, counted in UTF-8', () => {
    const batches = packBatches(events(200, 500), 'now', 60_000, 1000)
    expect(batches.length).toBeGreaterThan(1)
    for (const batch of batches) {
      const bytes = new TextEncoder().encode(batch.body).length
      expect(bytes).toBeLessThanOrEqual(60_000)
      expect(batch.bytes).toBe(bytes)
    }
    expect(batches.flatMap((b) => b.eventIds)).toHaveLength(200)
  })

  it('sends an event bigger than maxBytes alone', () => {
    const batches = packBatches([...events(1), { event_id: 'huge', padding: 'x'.repeat(5000) }, ...events(1)], 'now', 1000, 100)
    expect(batches.map((b) => b.eventIds)).toEqual([['e0'], ['huge'], ['e0']])
  })

  it('holds no more events than the smallest cap among them', () => {
    const ids = (caps: Record<string, number>) => packBatches(events(7), 'now', 60_000, 100, caps).map((b) => b.eventIds)
    expect(ids({ e2: 0.5 })).toEqual([['e0', 'e1'], ['e2'], ['e3', 'e4', 'e5', 'e6']])
    expect(ids({ e0: 2.5, e1: 2.5, e2: 2.5, e3: 5 })).toEqual([['e0', 'e1', 'e2'], ['e3', 'e4', 'e5', 'e6']])
    expect(ids({ e1: 1, e2: 1 })).toEqual([['e0'], ['e1'], ['e2'], ['e3', 'e4', 'e5', 'e6']])
  })

  it('makes no batch from no events', () => {
    expect(packBatches([], 'now', 1000, 10)).toEqual([])
  })
})
