import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { setTenantRetention } from '../../privacy/tenant-retention'
import { createTestApp, newTenant, type TestApp } from '../../testing/test-app'

const EVENTS = '/api/v1/cdp/events'
const HOUR = 3600_000
const DAY = 24 * HOUR

let t: TestApp
let tenant: string
let token: string

beforeAll(async () => {
  t = await createTestApp()
  tenant = newTenant()
  token = await t.token(tenant)
})
afterAll(() => t.close())

/** A valid event with a fresh id and anonymous id; `overrides` replace fields. */
function event(overrides: Record<string, unknown> = {}) {
  return {
    event_id: randomUUID(),
    event_name: 'PageView',
    event_time: new Date().toISOString(),
    identifiers: [{ type: 'anonymous_id', value: `anon_${randomUUID()}` }],
    ...overrides,
  }
}

/** What `t.call` answers; its JSON body is untyped on purpose (tests probe malformed answers too). */
type Reply = Awaited<ReturnType<TestApp['call']>>
/** One item of the ingest response's `events`. */
type EventResult = { index: number; event_id: string; status: string; profile_id: string; emq: number; warnings?: string[] }

const post = (body: unknown, headers: Record<string, string> = {}) => t.call('POST', EVENTS, { token, body, headers })

/** Sends raw bytes with a content type, bypassing the JSON helper. */
async function postRaw(body: BodyInit, contentType: string | null, extra: RequestInit = {}): Promise<Reply> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` }
  if (contentType) headers['content-type'] = contentType
  const res = await t.app.request(EVENTS, { method: 'POST', headers, body, ...extra })
  const text = await res.text()
  let json: Reply['body'] = text
  try {
    json = JSON.parse(text)
  } catch {}
  return { status: res.status, body: json, headers: res.headers }
}

/** The API's error shape, with `code`. */
function expectError(res: Reply, status: number, code?: string) {
  expect(res.status).toBe(status)
  expect(res.body).toEqual({
    error: { code: code ?? expect.any(String), message: expect.any(String), details: expect.any(Array) },
  })
}

async function journey(profileId: string) {
  const res = await t.call('GET', `/api/v1/cdp/profiles/${profileId}/events?limit=500`, { token })
  expect(res.status).toBe(200)
  return res.body.data as Array<{ event_id: string; event_time: string; properties: unknown; identifiers: Array<{ value: string }>; warnings: string[] }>
}

describe('POST /events: happy path', () => {
  test('accepts a batch and answers with the documented shape', async () => {
    const anon = `anon_${randomUUID()}`
    const events = [
      event({ identifiers: [{ type: 'anonymous_id', value: anon }] }),
      event({
        event_name: 'Purchase',
        action_source: 'website',
        identifiers: [{ type: 'anonymous_id', value: anon }],
        properties: { value: 129.5, currency: 'EUR', order_id: 'A-1001', content_ids: ['sofa-1'] },
        context: { page: { url: 'https://shop.example/checkout' }, session_id: 's1' },
      }),
    ]
    const res = await post({ sent_at: new Date().toISOString(), events })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ accepted: 2, duplicates: 0, rejected: [] })
    expect(res.body.events).toHaveLength(2)
    res.body.events.forEach((e: EventResult, i: number) => {
      expect(e).toMatchObject({ index: i, event_id: events[i]!.event_id, status: 'accepted' })
      expect(e.profile_id).toMatch(/^[0-9a-f-]{36}$/)
      expect(typeof e.emq).toBe('number')
      expect(e.emq).toBeGreaterThanOrEqual(0)
      expect(e.emq).toBeLessThanOrEqual(100)
    })
    // Both carry the same anonymous id: one profile, and its journey holds both.
    expect(res.body.events[1].profile_id).toBe(res.body.events[0].profile_id)
    const stored = await journey(res.body.events[0].profile_id)
    expect(stored.map((e) => e.event_id).sort()).toEqual(events.map((e) => e.event_id).sort())
  })

  test('a valid envelope with bad events accepts the good ones and lists the bad ones by index', async () => {
    const res = await post({ events: [event(), event({ event_name: 'not_pascal' }), event()] })
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(2)
    expect(res.body.rejected).toEqual([{ index: 1, code: expect.any(String), message: expect.any(String) }])
    expect(res.body.events.map((e: EventResult) => e.index)).toEqual([0, 2])
  })

  test('an envelope whose events are all bad is still a 200 listing every rejection (never a silent 2xx)', async () => {
    const res = await post({ events: [event({ event_name: 'x' }), event({ event_id: 'nope' })] })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ accepted: 0, duplicates: 0, events: [] })
    expect(res.body.rejected.map((r: EventResult) => r.index)).toEqual([0, 1])
  })

  test('text/plain carrying JSON is accepted (sendBeacon)', async () => {
    const res = await postRaw(JSON.stringify({ events: [event()] }), 'text/plain;charset=UTF-8')
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(1)
  })

  test('application/json with a charset is accepted', async () => {
    const res = await postRaw(JSON.stringify({ events: [event()] }), 'application/json; charset=utf-8')
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(1)
  })

  test('the server generates an event_id when it is missing', async () => {
    const { event_id: _omitted, ...withoutId } = event()
    const res = await post({ events: [withoutId] })
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(1)
    const id = res.body.events[0].event_id
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    const stored = await journey(res.body.events[0].profile_id)
    expect(stored.map((e) => e.event_id)).toEqual([id])
  })

  test('SQL metacharacters in properties and identifiers are stored verbatim and harmless', async () => {
    const nasty = `Robert'); DROP TABLE events;-- \\ " $1 %s ::jsonb $$ E'\\x00'`
    const anon = `anon_'; DELETE FROM profiles; --${randomUUID()}`
    const res = await post({
      events: [event({ identifiers: [{ type: 'anonymous_id', value: anon }], properties: { q: nasty, [`k'"`]: nasty } })],
    })
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(1)
    const [stored] = await journey(res.body.events[0].profile_id)
    expect(stored!.properties).toEqual({ q: nasty, [`k'"`]: nasty })
    expect(stored!.identifiers[0]?.value).toBe(anon)
    // The tables are still there and the profile is found by its odd identifier.
    const found = await t.call('GET', `/api/v1/cdp/profiles?identifier_type=anonymous_id&identifier_value=${encodeURIComponent(anon)}`, {
      token,
    })
    expect(found.status).toBe(200)
    expect(found.body.id).toBe(res.body.events[0].profile_id)
  })
})

describe('POST /events: envelope and body errors', () => {
  test('invalid JSON → 400 invalid_json', async () => {
    expectError(await postRaw('{"events": [', 'application/json'), 400, 'invalid_json')
  })

  test('invalid JSON as text/plain → 400 invalid_json', async () => {
    expectError(await postRaw('not json', 'text/plain'), 400, 'invalid_json')
  })

  test.each(['application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'text/html'])(
    'content type %s → 415',
    async (type) => {
      expectError(await postRaw(JSON.stringify({ events: [event()] }), type), 415)
    },
  )

  test('no content type → 415', async () => {
    expectError(await postRaw(new Blob([JSON.stringify({ events: [event()] })]), null), 415)
  })

  test('invalid UTF-8 bytes → 400', async () => {
    const prefix = new TextEncoder().encode('{"events":[{"event_name":"PageView","x":"')
    const bytes = new Uint8Array([...prefix, 0xff, 0xfe, 0x22, 0x7d, 0x5d, 0x7d])
    expectError(await postRaw(bytes, 'application/json'), 400)
  })

  test.each([
    ['an empty object', {}],
    ['events not an array', { events: {} }],
    ['no events', { events: [] }],
    ['a bare array', [event()]],
    ['null', null],
    ['an unknown envelope key', { events: [event()], extra: 1 }],
    ['a bad sent_at', { sent_at: 'yesterday', events: [event()] }],
  ])('%s → 400 invalid_envelope', async (_name, body) => {
    expectError(await post(body), 400, 'invalid_envelope')
  })

  test('501 events → 400 invalid_envelope, nothing stored', async () => {
    const events = Array.from({ length: 501 }, () => ({ event_name: 'PageView', event_time: new Date().toISOString() }))
    expectError(await post({ events }), 400, 'invalid_envelope')
  })

  test('500 events are accepted', async () => {
    const anon = `anon_${randomUUID()}`
    const events = Array.from({ length: 500 }, () => event({ identifiers: [{ type: 'anonymous_id', value: anon }] }))
    const res = await post({ events })
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(500)
  })

  const bigBody = () => JSON.stringify({ events: [event({ properties: { pad: 'x'.repeat(600 * 1024) } })] })

  test('a 600 KB body → 413 in the error shape', async () => {
    expectError(await postRaw(bigBody(), 'application/json'), 413)
  })

  test('a 600 KB streamed body without Content-Length → 413', async () => {
    const bytes = new TextEncoder().encode(bigBody())
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 16 * 1024) controller.enqueue(bytes.subarray(i, i + 16 * 1024))
        controller.close()
      },
    })
    const res = await postRaw(stream, 'application/json', { duplex: 'half' } as RequestInit)
    expectError(res, 413)
  })

  test('a 600 KB body with a lying Content-Length → 413', async () => {
    const res = await t.app.request(EVENTS, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': '100' },
      body: bigBody(),
    })
    expect(res.status).toBe(413)
    expect((await res.json()).error.code).toEqual(expect.any(String))
  })

  test('a body just under 512 KB is accepted', async () => {
    const events = Array.from({ length: 20 }, () => event({ properties: { pad: 'x'.repeat(25 * 1024) } }))
    const body = JSON.stringify({ events })
    expect(body.length).toBeGreaterThan(500 * 1024)
    expect(body.length).toBeLessThan(512 * 1024)
    const res = await postRaw(body, 'application/json')
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(20)
  })
})

describe('POST /events: item-level rejections', () => {
  async function rejectedCode(bad: unknown) {
    const good = event()
    const res = await post({ events: [good, bad] })
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(1)
    expect(res.body.events[0].event_id).toBe(good.event_id)
    expect(res.body.rejected).toHaveLength(1)
    expect(res.body.rejected[0]).toMatchObject({ index: 1, message: expect.any(String) })
    return res.body.rejected[0].code as string
  }

  test('a 40 KB event → event_too_large, the others accepted', async () => {
    expect(await rejectedCode(event({ properties: { pad: 'x'.repeat(40 * 1024) } }))).toBe('event_too_large')
  })

  test('property nesting of 5 levels is accepted, 6 rejected', async () => {
    const five = { l1: { l2: { l3: { l4: { l5: 'x' } } } } }
    const six = { l1: { l2: { l3: { l4: { l5: { l6: 'x' } } } } } }
    const ok = await post({ events: [event({ properties: five })] })
    expect(ok.body).toMatchObject({ accepted: 1, rejected: [] })
    expect(await rejectedCode(event({ properties: six }))).toBe('too_deep')
    // Arrays are levels too.
    expect(await rejectedCode(event({ properties: { l1: [[[[[{ l6: 1 }]]]]] } }))).toBe('too_deep')
  })

  test.each(['__proto__', 'constructor', 'prototype'])('a "%s" key is rejected item by item', async (key) => {
    const good = event()
    const bad = JSON.stringify(event()).replace(/}$/, `,"properties":{"nested":{"${key}":{"polluted":true}}}}`)
    const raw = `{"events":[${JSON.stringify(good)},${bad}]}`
    const res = await postRaw(raw, 'application/json')
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(1)
    expect(res.body.rejected).toEqual([{ index: 1, code: 'forbidden_key', message: expect.stringContaining(key) }])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  test('a top-level "__proto__" key in an event is rejected', async () => {
    const raw = `{"events":[{"event_name":"PageView","event_time":"${new Date().toISOString()}","__proto__":{"x":1}}]}`
    const res = await postRaw(raw, 'application/json')
    expect(res.status).toBe(200)
    expect(res.body.rejected[0]).toMatchObject({ index: 0, code: 'forbidden_key' })
  })

  test('items that are not objects are rejected one by one', async () => {
    const good = event()
    const res = await post({ events: [null, 42, 'PageView', [], good, { ...event(), properties: [1, 2] }] })
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(1)
    expect(res.body.events[0].event_id).toBe(good.event_id)
    expect(res.body.rejected.map((r: EventResult) => r.index)).toEqual([0, 1, 2, 3, 5])
  })

  test('a hostile 3000-level nesting is refused without a stack overflow', async () => {
    const raw = `{"events":[{"event_name":"PageView","event_time":"${new Date().toISOString()}","properties":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}]}`
    const res = await postRaw(raw, 'application/json')
    expect(res.status).toBe(200)
    expect(res.body.rejected).toEqual([{ index: 0, code: 'too_deep', message: expect.any(String) }])
  })

  test('a key longer than 128 characters is rejected', async () => {
    expect(await rejectedCode(event({ properties: { ['k'.repeat(129)]: 1 } }))).toBe('key_too_long')
  })

  test.each(['add_to_cart', 'addToCart', 'Add To Cart', '', 'Purchase!'])('event name %j → rejected', async (name) => {
    expect(await rejectedCode(event({ event_name: name }))).toBe('invalid_event')
  })

  test('a custom PascalCase name is accepted', async () => {
    const res = await post({ events: [event({ event_name: 'WatchedDemoVideo' })] })
    expect(res.body).toMatchObject({ accepted: 1, rejected: [] })
  })

  test.each(['not-a-uuid', '0d9f', '0d9f0d9f-0d9f-0d9f-0d9f-0d9f0d9f0d9', "'; DROP TABLE events; --"])(
    'malformed event_id %j → rejected',
    async (id) => {
      expect(await rejectedCode(event({ event_id: id }))).toBe('invalid_event')
    },
  )

  test('an unknown identifier type → rejected', async () => {
    expect(await rejectedCode(event({ identifiers: [{ type: 'ssn', value: '123' }] }))).toBe('invalid_event')
  })

  test('a missing or malformed event_time → rejected', async () => {
    expect(await rejectedCode(event({ event_time: undefined }))).toBe('invalid_event')
    expect(await rejectedCode(event({ event_time: 'last tuesday' }))).toBe('invalid_event')
  })

  test('event_time 2 days ahead → event_in_future', async () => {
    expect(await rejectedCode(event({ event_time: new Date(Date.now() + 2 * DAY).toISOString() }))).toBe('event_in_future')
  })

  test('event_time 14 months old → event_too_old', async () => {
    const old = new Date()
    old.setUTCMonth(old.getUTCMonth() - 14)
    expect(await rejectedCode(event({ event_time: old.toISOString() }))).toBe('event_too_old')
  })

  test("a tenant's shorter retention window refuses older events too, and stores the rest", async () => {
    const shortTenant = newTenant()
    const shortToken = await t.token(shortTenant)
    const monthsAgo = (months: number) => {
      const at = new Date()
      at.setUTCMonth(at.getUTCMonth() - months)
      return at.toISOString()
    }
    await t.call('POST', EVENTS, { token: shortToken, body: { events: [event()] } })
    await setTenantRetention(t.database.db, shortTenant, 3)
    const batch = [event(), event({ event_time: monthsAgo(4) }), event({ event_time: 'x' }), event({ event_time: monthsAgo(2) })]
    const res = await t.call('POST', EVENTS, { token: shortToken, body: { events: batch } })
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(2)
    expect(res.body.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
      [1, 'event_too_old'],
      [2, 'invalid_event'],
    ])
    expect(res.body.events.map((e: EventResult) => e.index)).toEqual([0, 3])
    // Nothing of the refused event was kept: sent again once the window allows, it would be new.
    const keys = async (eventId: string) =>
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM event_keys WHERE event_id = ${eventId}`.execute(t.database.db))
        .rows[0]!.n
    expect(await keys(batch[1]!.event_id)).toBe(0)
    expect(await keys(batch[3]!.event_id)).toBe(1)
  })

  test('event_time 12 months old is accepted and stored in its month partition', async () => {
    const old = new Date()
    old.setUTCMonth(old.getUTCMonth() - 12)
    const res = await post({ events: [event({ event_time: old.toISOString() })] })
    expect(res.body).toMatchObject({ accepted: 1, rejected: [] })
  })
})

describe('POST /events: time', () => {
  test('sent_at 1 h behind receipt: event_time is corrected and flagged clock_corrected', async () => {
    const now = Date.now()
    const sentAt = new Date(now - HOUR)
    const eventTime = new Date(sentAt.getTime() - 10_000)
    const res = await post({ sent_at: sentAt.toISOString(), events: [event({ event_time: eventTime.toISOString() })] })
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(1)
    expect(res.body.events[0].warnings).toContain('clock_corrected')
    const [stored] = await journey(res.body.events[0].profile_id)
    // Corrected: about 10 s before receipt, not 1 h.
    expect(Math.abs(Date.parse(stored!.event_time) - (now - 10_000))).toBeLessThan(60_000)
    expect(stored!.warnings).toContain('clock_corrected')
  })

  test('a client clock 3 days ahead is corrected back into range instead of rejected', async () => {
    const ahead = new Date(Date.now() + 3 * DAY)
    const res = await post({ sent_at: ahead.toISOString(), events: [event({ event_time: ahead.toISOString() })] })
    expect(res.body).toMatchObject({ accepted: 1, rejected: [] })
    expect(res.body.events[0].warnings).toContain('clock_corrected')
  })

  test('a skew under 5 minutes is left alone', async () => {
    const sentAt = new Date(Date.now() - 2 * 60_000)
    const eventTime = new Date(sentAt.getTime() - 1_000)
    const res = await post({ sent_at: sentAt.toISOString(), events: [event({ event_time: eventTime.toISOString() })] })
    expect(res.body.accepted).toBe(1)
    expect(res.body.events[0].warnings ?? []).not.toContain('clock_corrected')
    const [stored] = await journey(res.body.events[0].profile_id)
    expect(Date.parse(stored!.event_time)).toBe(eventTime.getTime())
  })
})

describe('POST /events: idempotency', () => {
  test('a replayed batch is stored once', async () => {
    const anon = `anon_${randomUUID()}`
    const batch = { events: [1, 2, 3].map(() => event({ identifiers: [{ type: 'anonymous_id', value: anon }] })) }
    const first = await post(batch)
    expect(first.body).toMatchObject({ accepted: 3, duplicates: 0 })
    const profileId = first.body.events[0].profile_id
    const second = await post(batch)
    expect(second.status).toBe(200)
    expect(second.body).toMatchObject({ accepted: 0, duplicates: 3, rejected: [] })
    expect(second.body.events.map((e: EventResult) => e.status)).toEqual(['duplicate', 'duplicate', 'duplicate'])
    expect(second.body.events.map((e: EventResult) => e.event_id)).toEqual(batch.events.map((e) => e.event_id))
    expect(await journey(profileId)).toHaveLength(3)
    const profile = await t.call('GET', `/api/v1/cdp/profiles/${profileId}`, { token })
    expect(profile.body.events_count).toBe(3)
  })

  test('a replay with a different event_time is still a duplicate', async () => {
    const original = event()
    await post({ events: [original] })
    const replay = { ...original, event_time: new Date(Date.now() - HOUR).toISOString() }
    const res = await post({ events: [replay] })
    expect(res.body).toMatchObject({ accepted: 0, duplicates: 1 })
  })

  test('an uppercase replay of a lowercase event_id is a duplicate', async () => {
    const original = event()
    await post({ events: [original] })
    const res = await post({ events: [{ ...original, event_id: original.event_id.toUpperCase() }] })
    expect(res.body).toMatchObject({ accepted: 0, duplicates: 1 })
  })

  test('the same event_id twice in one batch: one accepted, one duplicate', async () => {
    const e = event()
    const res = await post({ events: [e, { ...e }] })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ accepted: 1, duplicates: 1 })
    expect(res.body.events.map((x: EventResult) => x.status)).toEqual(['accepted', 'duplicate'])
    expect(await journey(res.body.events[0].profile_id)).toHaveLength(1)
  })

  test('event ids are per tenant: another tenant may reuse one', async () => {
    const e = event()
    await post({ events: [e] })
    const other = await t.token(newTenant())
    const res = await t.call('POST', EVENTS, { token: other, body: { events: [e] } })
    expect(res.body).toMatchObject({ accepted: 1, duplicates: 0 })
  })
})

describe('POST /events: request facts', () => {
  test('the user agent comes from the request; a source-key request never takes an IP or UA from the body', async () => {
    const source = await t.call('POST', '/api/v1/cdp/sources', { token, body: { name: 'Web', source_type: 'website' } })
    const e = event({ context: { user_agent: 'Body/1.0', ip: '8.8.8.8' } })
    const res = await t.call('POST', EVENTS, {
      body: { events: [e] },
      headers: { 'x-source-key': source.body.source_key, 'user-agent': 'Header/2.0', 'x-forwarded-for': '1.2.3.4' },
    })
    expect(res.status).toBe(200)
    const row = await t.database.db
      .selectFrom('events')
      .select(['user_agent', 'client_ip', 'source_id'])
      .where('tenant_id', '=', tenant)
      .where('event_id', '=', e.event_id)
      .executeTakeFirstOrThrow()
    expect(row.user_agent).toBe('Header/2.0')
    // app.request() has no TCP peer, and X-Forwarded-For from an untrusted peer is ignored.
    expect(row.client_ip).toBeNull()
    expect(row.source_id).toBe(source.body.id)
  })

  test('the whole batch is one transaction: its events share one received_at', async () => {
    const events = [event(), event(), event()]
    await post({ events })
    const { rows } = await sql<{ n: number }>`
      SELECT count(DISTINCT received_at)::int AS n FROM events
      WHERE tenant_id = ${tenant} AND event_id = ANY(${events.map((e) => e.event_id)}::uuid[])
    `.execute(t.database.db)
    expect(rows[0]!.n).toBe(1)
  })
})

describe('other routes', () => {
  test('a profile id that is not a UUID → 400 in the error shape', async () => {
    expectError(await t.call('GET', '/api/v1/cdp/profiles/not-a-uuid', { token }), 400)
    expectError(await t.call('GET', "/api/v1/cdp/profiles/1'%20OR%20'1'='1/events", { token }), 400)
  })

  test('an unknown profile → 404', async () => {
    expectError(await t.call('GET', `/api/v1/cdp/profiles/${randomUUID()}`, { token }), 404)
  })

  test.each([
    ['GET', '/nope'],
    ['GET', '/api/v1/cdp/nope'],
    ['DELETE', '/api/v1/cdp/events'],
    ['GET', '/api/v1/cdp/events'],
  ])('%s %s → 404 in the error shape', async (method, path) => {
    const res = await t.call(method, path, { token })
    expect([404, 405]).toContain(res.status)
    expectError(res, res.status)
  })
})
