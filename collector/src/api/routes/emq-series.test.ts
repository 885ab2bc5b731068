import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { emqBand } from '../../emq/bands'
import type { EmqBand } from '../../emq/types'
import { createTestApp, newTenant, type TestApp } from '../../testing/test-app'

const SERIES = '/api/v1/cdp/emq/series'
const HOUR = 3_600_000

let t: TestApp
let tenant: string
let reader: string
let shopId: string
/** Scores of the events received in each place of the fixture. */
const scores: Record<'shop10' | 'server12' | 'shopEarly', number[]> = { shop10: [], server12: [], shopEarly: [] }

/** Sends events and moves their receipt to `receivedAt` (the owner may UPDATE events, the app role may not). */
async function receive(auth: { token: string } | { sourceKey: string }, receivedAt: string, events: Record<string, unknown>[]) {
  const res = await t.call('POST', '/api/v1/cdp/events', {
    ...('token' in auth ? { token: auth.token } : { headers: { 'x-source-key': auth.sourceKey } }),
    body: { events: events.map((e) => ({ event_id: randomUUID(), event_time: new Date().toISOString(), ...e })) },
  })
  expect(res.status).toBe(200)
  const ids = res.body.events.map((e: { event_id: string }) => e.event_id) as string[]
  await t.database.db.updateTable('events').set({ received_at: receivedAt }).where('tenant_id', '=', tenant).where('event_id', 'in', ids).execute()
  return res.body.events.map((e: { emq: number }) => e.emq) as number[]
}

beforeAll(async () => {
  t = await createTestApp()
  tenant = newTenant()
  const token = await t.token(tenant)
  reader = await t.token(tenant, ['profiles:read'])
  const shop = await t.call('POST', '/api/v1/cdp/sources', { token, body: { name: 'Shop', source_type: 'website' } })
  shopId = shop.body.id
  const sourceKey = shop.body.source_key as string
  const purchase = { event_name: 'Purchase', identifiers: [{ type: 'email', value: 'ann@shop.io' }], properties: { value: 10, currency: 'EUR' } }
  const view = { event_name: 'PageView', identifiers: [{ type: 'anonymous_id', value: 'a-1' }] }
  // Before `from`, in the same hour: outside the hourly series, inside the daily one.
  scores.shopEarly.push(...(await receive({ sourceKey }, '2026-01-14T10:15:00Z', [view])))
  scores.shop10.push(...(await receive({ sourceKey }, '2026-01-14T10:45:00Z', [purchase, view])))
  scores.server12.push(...(await receive({ token }, '2026-01-14T12:30:00Z', [purchase])))
  // At `to`: outside, since the range is half-open.
  await receive({ token }, '2026-01-14T13:00:00Z', [view])
})
afterAll(() => t.close())

const round2 = (n: number) => Math.round(n * 100) / 100
const EMPTY = { events: 0, mean_emq: null, bands: { excellent: 0, good: 0, fair: 0, poor: 0 } }

/** What a bucket holding exactly `bucketScores` must say. */
function point(start: string, bucketScores: number[]) {
  if (bucketScores.length === 0) return { start, ...EMPTY }
  const bands: Record<EmqBand, number> = { excellent: 0, good: 0, fair: 0, poor: 0 }
  for (const s of bucketScores) bands[emqBand(s)]++
  const mean = bucketScores.reduce((sum, s) => sum + Math.round(s * 10), 0) / (10 * bucketScores.length)
  return { start, events: bucketScores.length, mean_emq: round2(mean), bands }
}

const get = (query: string, token = reader) => t.call('GET', `${SERIES}?${query}`, { token })
const RANGE = 'from=2026-01-14T10:20:00Z&to=2026-01-14T13:00:00Z'

describe('GET /emq/series', () => {
  it('counts events, mean and bands per hour, zero-filled, oldest first', async () => {
    const res = await get(`${RANGE}&bucket=hour`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      bucket: 'hour',
      from: '2026-01-14T10:20:00.000Z',
      to: '2026-01-14T13:00:00.000Z',
      source_id: null,
      points: [
        // 10:15 lies before `from`; 13:00 is `to` itself.
        point('2026-01-14T10:00:00.000Z', scores.shop10),
        point('2026-01-14T11:00:00.000Z', []),
        point('2026-01-14T12:00:00.000Z', scores.server12),
      ],
    })
  })

  it('keeps one source, or the events sent with a JWT', async () => {
    const shop = await get(`${RANGE}&source_id=${shopId.toUpperCase()}`)
    expect(shop.body.source_id).toBe(shopId)
    expect(shop.body.points.map((p: { events: number }) => p.events)).toEqual([scores.shop10.length, 0, 0])
    const server = await get(`${RANGE}&source_id=server`)
    expect(server.body.source_id).toBe('server')
    expect(server.body.points[2]).toEqual(point('2026-01-14T12:00:00.000Z', scores.server12))
    expect(server.body.points[0]).toEqual(point('2026-01-14T10:00:00.000Z', []))
  })

  it('buckets by UTC day', async () => {
    const res = await get('from=2026-01-13T00:00:00Z&to=2026-01-15T00:00:00Z&bucket=day')
    const all = [...scores.shopEarly, ...scores.shop10, ...scores.server12]
    // The event received at 13:00 is inside this range.
    expect(res.body.points).toHaveLength(2)
    expect(res.body.points[0]).toEqual(point('2026-01-13T00:00:00.000Z', []))
    expect(res.body.points[1].events).toBe(all.length + 1)
  })

  it('defaults to the last 24 hours, or 30 days by day', async () => {
    const hourly = await get('')
    expect(hourly.status).toBe(200)
    expect(Date.parse(hourly.body.to) - Date.parse(hourly.body.from)).toBe(24 * HOUR)
    const firstHour = Math.floor(Date.parse(hourly.body.from) / HOUR) * HOUR
    expect(hourly.body.points).toHaveLength(Math.ceil((Date.parse(hourly.body.to) - firstHour) / HOUR))
    expect(hourly.body.points[0].start).toBe(new Date(firstHour).toISOString())
    const daily = await get('bucket=day')
    expect(Date.parse(daily.body.to) - Date.parse(daily.body.from)).toBe(30 * 24 * HOUR)
    expect(daily.body.points.length).toBeGreaterThanOrEqual(30)
    expect(daily.body.points.length).toBeLessThanOrEqual(31)
  })

  it('takes at most 744 buckets and a range that moves forward', async () => {
    const month = await get('from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z')
    expect(month.status).toBe(200)
    expect(month.body.points).toHaveLength(744)
    for (const query of ['from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:01Z', `${RANGE.replace('10:20', '13:00')}`, 'from=2026-01-15T00:00:00Z&to=2026-01-14T00:00:00Z']) {
      const res = await get(query)
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('invalid_range')
    }
  })

  it("shows no other tenant's events or sources", async () => {
    const stranger = await t.token(newTenant(), ['profiles:read'])
    const res = await get(`${RANGE}`, stranger)
    expect(res.body.points.every((p: { events: number }) => p.events === 0)).toBe(true)
    const theirs = await get(`${RANGE}&source_id=${shopId}`, stranger)
    expect(theirs.status).toBe(404)
    expect(theirs.body.error.code).toBe('source_not_found')
  })

  it('needs profiles:read and valid parameters', async () => {
    expect((await t.call('GET', SERIES)).status).toBe(401)
    const writer = await get('', await t.token(tenant, ['events:write']))
    expect(writer.status).toBe(403)
    for (const query of ['bucket=week', 'from=yesterday', 'to=2026-02-30T00:00:00Z', 'source_id=web', 'from=1960-01-01T00:00:00Z']) {
      const res = await get(query)
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('invalid_request')
    }
  })
})
