import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type EventStream, readEventStream } from '../testing/event-stream'
import { createTestApp, newTenant, type TestApp } from '../testing/test-app'

/**
 * Two collectors on one PostgreSQL, each with its own pool and LISTEN
 * connection (collector/docs/live-events.md, "Across collectors"): what one
 * ingests, the other's streams show — a 500-event batch too, which travels
 * as several NOTIFY payloads.
 */
const url = process.env.DATABASE_URL
const API = '/api/v1/cdp'
let one: TestApp
let two: TestApp
let stream: EventStream
const tenant = newTenant()

describe.skipIf(!url)('the live feed across two collectors on one PostgreSQL', () => {
  beforeAll(async () => {
    one = await createTestApp()
    two = await createTestApp()
    const res = await one.app.request(`${API}/events/stream`, { headers: { authorization: `Bearer ${await one.token(tenant)}` } })
    stream = readEventStream(res)
    await stream.waitFor((m) => m.event === 'ready')
  })
  afterAll(async () => {
    await stream?.close()
    await Promise.all([one?.close(), two?.close()])
  })

  test('an event ingested through one appears on the other', async () => {
    const event_id = randomUUID()
    const events = [{ event_id, event_name: 'Lead', event_time: new Date().toISOString(), identifiers: [{ type: 'phone', value: '+4915112345678' }] }]
    const res = await two.call('POST', `${API}/events`, { token: await two.token(tenant), body: { events }, headers: { prefer: 'return=minimal' } })
    expect(res.body.accepted).toBe(1)
    const seen = await stream.waitFor((m) => m.data.event_id === event_id)
    expect(seen.data).toMatchObject({ status: 'accepted', event_name: 'Lead', identifier_types: ['phone'] })
    expect(one.eventFeed.subscribers(tenant)).toBe(1)
    expect(two.eventFeed.subscribers(tenant)).toBe(0)
  })

  test('a batch of 500, larger than one NOTIFY payload, arrives whole and in order', async () => {
    const events = Array.from({ length: 500 }, (_, i) => ({
      event_id: randomUUID(),
      event_name: 'ViewContent',
      event_time: new Date().toISOString(),
      identifiers: [{ type: 'anonymous_id', value: `anon-${i}` }],
      properties: { content_ids: [`sku-${i}`] },
    }))
    const res = await two.call('POST', `${API}/events`, { token: await two.token(tenant), body: { events }, headers: { prefer: 'return=minimal' } })
    expect(res.body.accepted).toBe(500)
    await stream.waitFor((m) => m.data.event_id === events[499]!.event_id, 20_000)
    const ids = new Set(events.map((e) => e.event_id))
    const seen = stream.messages.filter((m) => ids.has(m.data.event_id)).map((m) => m.data.event_id)
    expect(seen).toEqual(events.map((e) => e.event_id))
  })
})
