import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { emqAutomation, emqBand } from '../../emq/bands'
import type { EmqBand } from '../../emq/types'
import { createTestApp, newTenant, type TestApp } from '../../testing/test-app'

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'
const HOUR = 3_600_000
const ago = (ms: number) => new Date(Date.now() - ms).toISOString()
/** What a backend relays about its end user (JWT events have no connection of their own). */
const SERVER_CONTEXT = { ip: '2001:4860:4860::8888', user_agent: CHROME }
const FULL_PURCHASE = { value: 129.5, currency: 'EUR', order_id: 'A-1', content_ids: ['sofa-1'], num_items: 1 }

let t: TestApp
beforeAll(async () => {
  // Browser events come from a public IPv4 connection.
  t = await createTestApp({}, '8.8.8.8')
})
afterAll(() => t.close())

/** Sends one batch, expects every event accepted, returns their ids and scores. */
async function send(auth: { token: string } | { sourceKey: string }, events: Record<string, unknown>[]) {
  const res = await t.call('POST', '/api/v1/cdp/events', {
    ...('token' in auth ? { token: auth.token } : { headers: { 'x-source-key': auth.sourceKey, 'user-agent': CHROME } }),
    body: { events: events.map((e) => ({ event_id: crypto.randomUUID(), event_time: ago(1000), ...e })) },
  })
  expect(res.status).toBe(200)
  expect(res.body.accepted).toBe(events.length)
  return {
    ids: res.body.events.map((e: { event_id: string }) => e.event_id) as string[],
    scores: res.body.events.map((e: { emq: number }) => e.emq) as number[],
  }
}

/** Moves events' receipt back in time: the app role may not UPDATE events, the owner may. */
async function receivedEarlier(tenant: string, ids: string[], hours: number) {
  await t.database.db
    .updateTable('events')
    .set({ received_at: sql`received_at - make_interval(hours => ${hours})` })
    .where('tenant_id', '=', tenant)
    .where('event_id', 'in', ids)
    .execute()
}

const round2 = (n: number) => Math.round(n * 100) / 100

/** What `/emq` must say about a window holding exactly `scores` (percentile_cont's definition). */
function expectedWindow(scores: number[]) {
  const sorted = [...scores].sort((a, b) => a - b)
  const percentile = (p: number) => {
    const position = p * (sorted.length - 1)
    const lo = Math.floor(position)
    const hi = Math.ceil(position)
    return round2(sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (position - lo))
  }
  const mean = scores.reduce((sum, s) => sum + Math.round(s * 10), 0) / (10 * scores.length)
  const bands: Record<EmqBand, number> = { excellent: 0, good: 0, fair: 0, poor: 0 }
  for (const s of scores) bands[emqBand(s)]++
  return {
    events: scores.length,
    mean_emq: round2(mean),
    p10: percentile(0.1),
    p50: percentile(0.5),
    p90: percentile(0.9),
    bands,
    band: emqBand(mean),
    automation: emqAutomation(emqBand(mean)),
  }
}

const EMPTY_WINDOW = {
  events: 0,
  mean_emq: null,
  p10: null,
  p50: null,
  p90: null,
  bands: { excellent: 0, good: 0, fair: 0, poor: 0 },
  band: null,
  automation: 'manual',
  missing_fields: { based_on_events: 0, top: [] },
}

describe('GET /emq', () => {
  const tenant = newTenant()
  let token: string
  let shopId: string
  const shop = { recent: [] as number[], older: [] as number[] }
  const server = { recent: [] as number[], older: [] as number[] }

  beforeAll(async () => {
    token = await t.token(tenant, ['events:write', 'sources:write'])
    const created = await t.call('POST', '/api/v1/cdp/sources', { token, body: { name: 'Shop', source_type: 'website' } })
    shopId = created.body.id
    const sourceKey = created.body.source_key as string

    const browser = await send({ sourceKey }, [
      { event_name: 'PageView', action_source: 'website', identifiers: [{ type: 'anonymous_id', value: 'anon-1' }], context: { page: { url: 'https://shop.example/' } } },
      {
        event_name: 'AddToCart',
        action_source: 'website',
        identifiers: [{ type: 'anonymous_id', value: 'anon-2' }, { type: 'email', value: 'ann@shop.io' }],
        properties: { value: 20, currency: 'EUR', content_ids: ['mug'] },
      },
      {
        event_name: 'Purchase',
        action_source: 'website',
        identifiers: [{ type: 'email', value: 'bob@shop.io' }, { type: 'phone', value: '+1 650 555 1212' }],
        user_data: { fn: 'Bob', ln: 'Stone', zp: '10115' },
        properties: FULL_PURCHASE,
        context: { page: { url: 'https://shop.example/thanks', referrer: 'https://shop.example/cart' }, click_ids: { fbc: 'fb.1.1.abc' }, locale: 'de-DE' },
      },
      { event_name: 'Purchase', identifiers: [{ type: 'email', value: 'cy@shop.io' }], properties: { value: 5, currency: 'EURO' } },
    ])
    shop.recent.push(...browser.scores)

    const backend = await send({ token }, [
      {
        event_name: 'Purchase',
        action_source: 'server',
        identifiers: [{ type: 'external_id', value: 'u-1' }, { type: 'email', value: 'dee@shop.io' }],
        properties: FULL_PURCHASE,
        context: SERVER_CONTEXT,
      },
      { event_name: 'Lead', action_source: 'server', identifiers: [{ type: 'phone', value: '+44 20 7946 0958' }], context: SERVER_CONTEXT },
      { event_name: 'Purchase', identifiers: [{ type: 'external_id', value: 'u-2' }], properties: { value: 9 } },
      { event_name: 'CompleteRegistration', identifiers: [{ type: 'email', value: 'test@example.com' }, { type: 'anonymous_id', value: 'anon-3' }] },
      // Happened 3 days ago, received now: the 24 h window holds it (and its low T).
      { event_name: 'PageView', event_time: ago(72 * HOUR), identifiers: [{ type: 'anonymous_id', value: 'anon-4' }] },
    ])
    server.recent.push(...backend.scores)

    const serverOld = await send({ token }, [
      { event_name: 'Purchase', identifiers: [{ type: 'email', value: 'eve@shop.io' }], properties: FULL_PURCHASE, context: SERVER_CONTEXT },
      { event_name: 'PageView', identifiers: [{ type: 'anonymous_id', value: 'anon-5' }] },
    ])
    await receivedEarlier(tenant, serverOld.ids, 72)
    server.older.push(...serverOld.scores)

    const shopOld = await send({ sourceKey }, [
      { event_name: 'Purchase', action_source: 'website', identifiers: [{ type: 'email', value: 'fay@shop.io' }], properties: FULL_PURCHASE },
    ])
    await receivedEarlier(tenant, shopOld.ids, 30)
    shop.older.push(...shopOld.scores)

    // Received 8 days ago: outside both windows.
    const gone = await send({ sourceKey }, [{ event_name: 'PageView', identifiers: [{ type: 'email', value: 'gus@shop.io' }] }])
    await receivedEarlier(tenant, gone.ids, 8 * 24)
  })

  it('reports count, mean, p10/p50/p90, bands and automation per source and for the tenant', async () => {
    const res = await t.call('GET', '/api/v1/cdp/emq', { token: await t.token(tenant, ['profiles:read']) })
    expect(res.status).toBe(200)
    const { body } = res
    expect(body.basis).toBe('received_at')
    expect(body.tenant_id).toBe(tenant)

    const windowOf = (scope: { windows: Record<string, unknown> }, w: '24h' | '7d') => {
      const { from, to, missing_fields, ...figures } = scope.windows[w] as Record<string, unknown>
      expect(Date.parse(to as string) - Date.parse(from as string)).toBe(w === '24h' ? 24 * HOUR : 7 * 24 * HOUR)
      return figures
    }
    const all = { recent: [...shop.recent, ...server.recent], older: [...shop.older, ...server.older] }
    expect(windowOf(body.tenant, '24h')).toEqual(expectedWindow(all.recent))
    expect(windowOf(body.tenant, '7d')).toEqual(expectedWindow([...all.recent, ...all.older]))

    expect(body.sources.map((s: { name: string }) => s.name)).toEqual(['Shop', 'server'])
    const [shopScope, serverScope] = body.sources
    expect(shopScope).toMatchObject({ source_id: shopId, source_type: 'website' })
    expect(windowOf(shopScope, '24h')).toEqual(expectedWindow(shop.recent))
    expect(windowOf(shopScope, '7d')).toEqual(expectedWindow([...shop.recent, ...shop.older]))
    expect(serverScope).toMatchObject({ source_id: null, source_type: null })
    expect(windowOf(serverScope, '24h')).toEqual(expectedWindow(server.recent))
    expect(windowOf(serverScope, '7d')).toEqual(expectedWindow([...server.recent, ...server.older]))
  })

  it('names the missing fields that would raise the mean most', async () => {
    const { body } = await t.call('GET', '/api/v1/cdp/emq?source_id=server&top=50', { token: await t.token(tenant, ['profiles:read']) })
    const window = body.sources[0].windows['24h']
    expect(window.missing_fields.based_on_events).toBe(server.recent.length)
    const gains = window.missing_fields.top as { field: string; event_name: string; gain: number; message: string }[]
    expect(gains.map((g) => g.gain)).toEqual([...gains.map((g) => g.gain)].sort((a, b) => b - a))
    // Of the two server Purchases, the one sent with only an external_id lacks an email.
    const email = gains.find((g) => g.field === 'email' && g.event_name === 'Purchase')
    expect(email).toMatchObject({ events: 2, missing: 1, missing_share: 0.5 })
    expect(email?.message).toBe(`valid email missing on 50% of Purchase events: +${email?.gain.toFixed(1)} mean EMQ`)
    // A PageView does not call for a value: never reported missing there.
    expect(gains.some((g) => g.field === 'value' && g.event_name === 'PageView')).toBe(false)
    // The PageView sent 3 days late.
    expect(gains.some((g) => g.field === 'prompt_delivery' && g.event_name === 'PageView')).toBe(true)
    expect(window.missing_fields.top.length).toBeLessThanOrEqual(50)
  })

  it('lists one source on request and limits the gains', async () => {
    const reader = await t.token(tenant, ['profiles:read'])
    const one = await t.call('GET', `/api/v1/cdp/emq?source_id=${shopId.toUpperCase()}&top=2`, { token: reader })
    expect(one.status).toBe(200)
    expect(one.body.sources.map((s: { source_id: string }) => s.source_id)).toEqual([shopId])
    expect(one.body.sources[0].windows['7d'].missing_fields.top).toHaveLength(2)
    expect(one.body.tenant.windows['24h'].events).toBe(shop.recent.length + server.recent.length)
  })

  it('answers 404 for a source of another tenant and 400 for a malformed query', async () => {
    const other = await t.token(newTenant(), ['profiles:read'])
    expect((await t.call('GET', `/api/v1/cdp/emq?source_id=${shopId}`, { token: other })).status).toBe(404)
    const reader = await t.token(tenant, ['profiles:read'])
    for (const query of ['source_id=shop', 'top=-1', 'top=51', 'top=two']) {
      const res = await t.call('GET', `/api/v1/cdp/emq?${query}`, { token: reader })
      expect(res.status, query).toBe(400)
      expect(res.body.error.code).toBe('invalid_request')
    }
  })

  it("shows another tenant none of this tenant's events", async () => {
    const res = await t.call('GET', '/api/v1/cdp/emq', { token: await t.token(newTenant(), ['profiles:read']) })
    expect(res.status).toBe(200)
    const windows = { '24h': expect.objectContaining(EMPTY_WINDOW), '7d': expect.objectContaining(EMPTY_WINDOW) }
    expect(res.body.tenant.windows).toEqual(windows)
    expect(res.body.sources).toEqual([{ source_id: null, name: 'server', source_type: null, windows }])
  })

  it('requires the profiles:read scope', async () => {
    const writer = await t.token(tenant, ['events:write', 'sources:read'])
    const res = await t.call('GET', '/api/v1/cdp/emq', { token: writer })
    expect(res.status).toBe(403)
    expect(res.body.error.code).toBe('insufficient_scope')
    expect((await t.call('GET', '/api/v1/cdp/emq')).status).toBe(401)
    expect((await t.call('GET', '/api/v1/cdp/emq', { token: await t.token(tenant, ['admin']) })).status).toBe(200)
  })

  it("adds the tenant's 24 h signal health to GET /health", async () => {
    const res = await t.call('GET', '/api/v1/cdp/health', { token })
    expect(res.status).toBe(200)
    const { events, mean_emq, band, automation } = expectedWindow([...shop.recent, ...server.recent])
    expect(res.body.signal_health).toEqual({ window: '24h', events, mean_emq, band, automation })

    const empty = await t.call('GET', '/api/v1/cdp/health', { token: await t.token(newTenant(), ['events:write']) })
    expect(empty.body.signal_health).toEqual({ window: '24h', events: 0, mean_emq: null, band: null, automation: 'manual' })
  })
})
