import { describe, expect, test } from 'vitest'
import { timingBreakdown } from './timing-breakdown'

const answer = (latency: number, append: number) => ({
  latency,
  server: { prepare: 3, connect: 5, append, commit: 2, wait: 0, total: 10 + append + 2 },
})

describe('timingBreakdown', () => {
  test('splits each batch into the route parts, the rest of the route and the time outside it', () => {
    const breakdown = timingBreakdown([answer(30, 10)])
    expect(breakdown).toEqual({
      median: { prepare: 3, connect: 5, append: 10, commit: 2, wait: 0, route: 2, outside: 8 },
      slowest: { prepare: 3, connect: 5, append: 10, commit: 2, wait: 0, route: 2, outside: 8 },
      slowestCount: 1,
    })
  })

  test('the slowest 1 % are the batches of the longest latency, whatever the server says', () => {
    // 200 batches: the two slowest by latency spent 100 ms appending, the rest 10.
    const answers = [...Array.from({ length: 198 }, () => answer(30, 10)), answer(500, 100), answer(400, 100)]
    const breakdown = timingBreakdown(answers)!
    expect(breakdown.slowestCount).toBe(2)
    expect(breakdown.slowest.append).toBe(100)
    expect(breakdown.median.append).toBe(10)
    expect(breakdown.slowest.outside).toBe((388 + 288) / 2)
  })

  test('is null when no answer carried a Server-Timing total', () => {
    expect(timingBreakdown([{ latency: 30, server: {} }])).toBeNull()
    expect(timingBreakdown([])).toBeNull()
  })
})
