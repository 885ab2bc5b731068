import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestApp, newTenant, type TestApp } from '../testing/test-app'
import { parseServerTiming } from './server-timing'

const EVENTS = '/api/v1/cdp/events'
const PARTS = ['prepare', 'connect', 'append', 'commit', 'wait'] as const

const batch = (n: number) => ({
  events: Array.from({ length: n }, () => ({
    event_id: randomUUID(),
    event_name: 'PageView',
    event_time: new Date().toISOString(),
    identifiers: [{ type: 'anonymous_id', value: `anon_${randomUUID()}` }],
  })),
})

describe('Server-Timing on POST /events', () => {
  let on: TestApp
  let off: TestApp
  let token: string
  beforeAll(async () => {
    ;[on, off] = await Promise.all([createTestApp({ serverTiming: true }), createTestApp()])
    token = await on.token(newTenant())
  })
  afterAll(() => Promise.all([on?.close(), off?.close()]))

  test('reports where the batch went: every part, each within the total', async () => {
    const res = await on.call('POST', EVENTS, { token, body: batch(5) })
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(5)
    const timing = parseServerTiming(res.headers.get('server-timing'))
    expect(Object.keys(timing).sort()).toEqual([...PARTS, 'total'].sort())
    for (const part of PARTS) expect(timing[part]).toBeGreaterThanOrEqual(0)
    // The test app asks to wait for resolution, which takes a round.
    expect(timing.wait).toBeGreaterThan(0)
    expect(timing.append).toBeGreaterThan(0)
    // Each part is rounded to 0.1 ms on its own.
    const sum = PARTS.reduce((total, part) => total + timing[part]!, 0)
    expect(sum).toBeLessThanOrEqual(timing.total! + 0.05 * (PARTS.length + 1))
  })

  test('a refused batch still says how long it took, and nothing of the parts it never reached', async () => {
    const res = await on.call('POST', EVENTS, { token, body: { events: 'not a list' } })
    expect(res.status).toBe(400)
    const timing = parseServerTiming(res.headers.get('server-timing'))
    expect(Object.keys(timing)).toEqual(['total'])
  })

  test('is off by default', async () => {
    const res = await off.call('POST', EVENTS, { token: await off.token(newTenant()), body: batch(1) })
    expect(res.status).toBe(200)
    expect(res.headers.get('server-timing')).toBeNull()
  })
})

describe('parseServerTiming', () => {
  test('reads durations by name, quoted descriptions and all, and skips metrics without one', () => {
    expect(parseServerTiming('append;dur=12.8, total;desc="route, whole";dur=30.1, cache;desc=hit, bad;dur=x')).toEqual({ append: 12.8, total: 30.1 })
    expect(parseServerTiming(null)).toEqual({})
  })
})
