import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { MAX_STREAMS_PER_TENANT } from '../../live/event-feed'
import { type EventStream, readEventStream } from '../../testing/event-stream'
import { createTestApp, newTenant, type TestApp } from '../../testing/test-app'
import { createTestSource } from '../../testing/test-source'

const API = '/api/v1/cdp'
let t: TestApp
let tenant: string
let token: string
const open: EventStream[] = []

beforeAll(async () => {
  t = await createTestApp()
  tenant = newTenant()
  token = await t.token(tenant)
})
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()))
  await t.close()
})

/** Opens a stream as `who` (the test tenant by default) and waits until it is live. */
async function subscribe(query = '', who = token) {
  const res = await t.app.request(`${API}/events/stream${query}`, { headers: { authorization: `Bearer ${who}` } })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('text/event-stream')
  const stream = readEventStream(res)
  open.push(stream)
  expect((await stream.waitFor(() => true)).event).toBe('ready')
  return stream
}

const event = (overrides: Record<string, unknown> = {}) => ({
  event_id: randomUUID(),
  event_name: 'PageView',
  event_time: new Date().toISOString(),
  identifiers: [{ type: 'email', value: `live-${randomUUID()}@shop.io` }],
  ...overrides,
})
const send = (events: unknown[], who = token) => t.call('POST', `${API}/events`, { token: who, body: { events }, headers: { prefer: 'return=minimal' } })
const withId = (id: string) => (m: { data: any }) => m.data.event_id === id

describe('GET /events/stream', () => {
  test('401 without a token, 403 without profiles:read', async () => {
    const none = await t.app.request(`${API}/events/stream`)
    expect(none.status).toBe(401)
    expect((await none.json()).error.code).toBe('missing_credentials')
    const writer = await t.token(tenant, ['events:write'])
    const res = await t.app.request(`${API}/events/stream`, { headers: { authorization: `Bearer ${writer}` } })
    expect(res.status).toBe(403)
    expect((await res.json()).error.code).toBe('insufficient_scope')
  })

  test("shows a batch's accepted, duplicate and rejected items, with identifier types only", async () => {
    const stream = await subscribe()
    const first = event()
    await send([first])
    const bad = { event_id: randomUUID(), event_name: 'Purchase', event_time: Date.now() }
    await send([first, bad])
    const accepted = await stream.waitFor((m) => withId(first.event_id)(m) && m.data.status === 'accepted')
    expect(accepted.event).toBe('accepted')
    expect(accepted.data).toMatchObject({ event_name: 'PageView', source_id: null, trust: 'server', identifier_types: ['email'] })
    expect(accepted.data.emq).toEqual(expect.any(Number))
    expect(['excellent', 'good', 'fair', 'poor']).toContain(accepted.data.band)
    const duplicate = await stream.waitFor((m) => withId(first.event_id)(m) && m.data.status === 'duplicate')
    expect(duplicate.data).toMatchObject({ emq: null, band: null })
    const rejected = await stream.waitFor(withId(bad.event_id))
    expect(rejected.event).toBe('rejected')
    expect(rejected.data).toMatchObject({ event_name: 'Purchase', source_id: null, code: 'invalid_event' })
    // The email is hashed in storage; the stream carries neither it nor its hash.
    const text = JSON.stringify(stream.messages)
    expect(text).not.toContain(first.identifiers[0]!.value)
    expect(text).not.toMatch(/[0-9a-f]{64}/)
  })

  test("never shows another tenant's events", async () => {
    const other = newTenant()
    const theirs = await subscribe('', await t.token(other))
    const mine = event()
    await send([mine])
    const marker = event()
    await send([marker], await t.token(other))
    await theirs.waitFor(withId(marker.event_id))
    expect(theirs.messages.some(withId(mine.event_id))).toBe(false)
  })

  test('filters by event name, source and band', async () => {
    const source = await createTestSource(t, tenant, 'server')
    const purchases = await subscribe('?event_name=Purchase')
    const fromSource = await subscribe(`?source_id=${source.id}`)
    const fromServer = await subscribe('?source_id=server')
    const viaJwt = event()
    const purchase = event({ event_name: 'Purchase', properties: { value: 5, currency: 'EUR' } })
    await send([viaJwt, purchase])
    const viaKey = event()
    const keyed = await t.call('POST', `${API}/events`, { body: { events: [viaKey] }, headers: { authorization: `Bearer ${source.source_key}` } })
    expect(keyed.status).toBe(200)
    await purchases.waitFor(withId(purchase.event_id))
    expect((await fromSource.waitFor(withId(viaKey.event_id))).data.source_id).toBe(source.id)
    await fromServer.waitFor(withId(purchase.event_id))
    expect(purchases.messages.some(withId(viaJwt.event_id))).toBe(false)
    expect(fromSource.messages.some(withId(viaJwt.event_id))).toBe(false)
    expect(fromServer.messages.some(withId(viaKey.event_id))).toBe(false)

    const band = (await fromServer.waitFor(withId(viaJwt.event_id))).data.band
    const banded = await subscribe(`?band=${band}`)
    const bad = { event_id: randomUUID(), event_name: 'PageView', event_time: 'yesterday' }
    const next = event()
    await send([bad, viaJwt, next])
    expect((await banded.waitFor(withId(next.event_id))).data.band).toBe(band)
    expect(banded.messages.some(withId(bad.event_id))).toBe(false)
    expect(banded.messages.some(withId(viaJwt.event_id))).toBe(false)
  })

  test('shows what came through the Segment API, refusals included', async () => {
    const source = await createTestSource(t, tenant, 'server')
    const stream = await subscribe(`?source_id=${source.id}`)
    const messageId = randomUUID()
    const basic = `Basic ${Buffer.from(`${source.source_key}:`).toString('base64')}`
    const batch = [{ type: 'track', event: 'Order Completed', userId: `u-${messageId}`, messageId }, { type: 'screen-ish' }]
    const res = await t.app.request('/v1/batch', { method: 'POST', headers: { authorization: basic, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) })
    expect(res.status).toBe(200)
    expect((await stream.waitFor((m) => m.event === 'accepted')).data).toMatchObject({ event_name: 'Purchase', identifier_types: ['external_id'] })
    expect((await stream.waitFor((m) => m.event === 'rejected')).data.code).toEqual(expect.any(String))
  })

  test('a disconnect ends the subscription; past the per-tenant limit, 429', async () => {
    const owner = newTenant()
    const ownerToken = await t.token(owner)
    const streams: EventStream[] = []
    for (let i = 0; i < MAX_STREAMS_PER_TENANT; i++) streams.push(await subscribe('', ownerToken))
    expect(t.eventFeed.subscribers(owner)).toBe(MAX_STREAMS_PER_TENANT)
    const refused = await t.app.request(`${API}/events/stream`, { headers: { authorization: `Bearer ${ownerToken}` } })
    expect(refused.status).toBe(429)
    expect((await refused.json()).error.code).toBe('too_many_streams')
    await Promise.all(streams.map((s) => s.close()))
    await expect.poll(() => t.eventFeed.subscribers(owner), { timeout: 10_000 }).toBe(0)
  })
})

test('closing the app ends its streams', async () => {
  const own = await createTestApp()
  const who = await own.token(newTenant())
  const res = await own.app.request(`${API}/events/stream`, { headers: { authorization: `Bearer ${who}` } })
  const stream = readEventStream(res)
  await stream.waitFor((m) => m.event === 'ready')
  await own.close()
  await stream.ended
  expect(stream.messages.map((m) => m.event)).toEqual(['ready'])
})
