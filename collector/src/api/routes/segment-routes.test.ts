import { randomUUID } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { deflateSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { eventIdOfMessage } from '../../segment/message-id'
import { createTestApp, newTenant, type TestApp } from '../../testing/test-app'
import { resolvedProfile } from '../../testing/resolved-profile'
import { createTestSource } from '../../testing/test-source'

const SHOP = 'https://shop.example'
let t: TestApp
let token: string
let secretKey: string
let publicKey: string

beforeAll(async () => {
  t = await createTestApp()
  const tenant = newTenant()
  token = await t.token(tenant)
  secretKey = (await createTestSource(t, tenant, 'server')).source_key
  publicKey = (await createTestSource(t, tenant, 'website', [SHOP])).source_key
})
afterAll(() => t.close())

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`
const get = (path: string) => t.call('GET', path, { token })

/** Posts raw bytes to a Segment route with the backend's write key unless `headers` say otherwise. */
async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const bytes = typeof body === 'string' ? body : body instanceof Uint8Array ? new Uint8Array(body) : JSON.stringify(body)
  const res = await t.app.request(path, { method: 'POST', body: bytes, headers: { authorization: basic(secretKey), 'content-type': 'application/json', ...headers } })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) }
}

const track = (overrides: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'Product Viewed',
  userId: `u-${randomUUID()}`,
  messageId: randomUUID(),
  properties: { product_id: 'sofa-1', price: 10 },
  ...overrides,
})

describe('storing', () => {
  test('a replayed messageId is stored once, under its namespaced event id', async () => {
    const message = track()
    for (let i = 0; i < 2; i++) expect((await post('/v1/batch', { batch: [message] })).body).toEqual({ success: true })
    expect((await post('/v1/track', message)).body).toEqual({ success: true })
    const { profile, events } = (await resolvedProfile(get, 'external_id', message.userId))!
    expect(profile.events_count).toBe(1)
    expect(events.map((e) => e.event_id)).toEqual([eventIdOfMessage(message.messageId)])
    expect(events[0]!.properties).toMatchObject({ value: 10, currency: 'USD', content_ids: ['sofa-1'], num_items: 1 })
  })

  test('a batch stores its good messages and lists the others; the batch context applies to each', async () => {
    const good = track()
    const res = await post('/v1/batch', {
      batch: [good, { type: 'track', event: 'X' }, { type: 'sing', userId: 'u' }, track({ event: '' })],
      context: { locale: 'de-DE' },
    })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      success: true,
      rejected: [
        { index: 1, code: 'invalid_message', message: 'batch[1]: userId or anonymousId is required' },
        { index: 2, code: 'invalid_message', message: 'batch[2].type must be one of track, identify, page, screen, group, alias' },
        { index: 3, code: 'invalid_message', message: 'batch[3]: event is required for a track call' },
      ],
    })
    const { events } = (await resolvedProfile(get, 'external_id', good.userId))!
    expect(events[0]!.context.locale).toBe('de-DE')
  })

  test('a message ingest rejects is listed with its path; a batch of which nothing is stored is a 400', async () => {
    const res = await post('/v1/batch', { batch: [track({ timestamp: '1960-01-01T00:00:00Z' }), track({ timestamp: 'yesterday-ish' })] })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('invalid_batch')
    expect(res.body.error.details).toEqual([
      { index: 0, code: 'invalid_event', message: expect.stringMatching(/^batch\[0\]: event_time: must lie from 1970/) },
      { index: 1, code: 'invalid_message', message: 'batch[1].timestamp must be an ISO 8601 date' },
    ])
  })

  test('a single call that cannot be mapped is a 400 with the reason', async () => {
    const res = await post('/v1/track', { userId: 'u1' })
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ code: 'invalid_message', message: 'message: event is required for a track call' })
    expect((await post('/v1/alias', { userId: 'u1' })).body.error.message).toBe('message: previousId is required for an alias call')
    expect((await post('/v1/group', { userId: 'u1' })).body.error.message).toBe('message: groupId is required for a group call')
    expect((await post('/v1/identify', { traits: { plan: 'pro' } })).body.error.message).toBe('message: userId or anonymousId is required')
  })

  test("the profile's traits are the latest each identify set, whichever profile of a merge it reached", async () => {
    const userId = `u-${randomUUID()}`
    const anonymousId = `a-${randomUUID()}`
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString()
    await post('/v1/batch', {
      batch: [
        { type: 'identify', anonymousId, traits: { plan: 'free', theme: 'dark' }, timestamp: at(30) },
        { type: 'identify', userId, traits: { plan: 'pro', email: 'trait.owner@shop.io' }, timestamp: at(20) },
        { type: 'identify', userId, traits: { plan: 'old' }, timestamp: at(40) },
      ],
    })
    // A native event named Identify sets no trait.
    await t.call('POST', '/api/v1/cdp/events', {
      token,
      body: { events: [{ event_name: 'Identify', event_time: at(1), identifiers: [{ type: 'external_id', value: userId }], properties: { plan: 'forged' } }] },
    })
    expect((await resolvedProfile(get, 'external_id', userId))!.profile.traits).toEqual({ plan: 'pro' })
    // The login stitch merges the anonymous visitor's profile into the customer's, traits and all.
    await post('/v1/track', { userId, anonymousId, event: 'Signed In' })
    expect((await resolvedProfile(get, 'external_id', userId))!.profile.traits).toEqual({ plan: 'pro', theme: 'dark' })
  })

  test('a client clock an hour fast is corrected by its sentAt', async () => {
    const ahead = (ms: number) => new Date(Date.now() + 3600_000 - ms).toISOString()
    const message = track({ timestamp: ahead(60_000), sentAt: ahead(0) })
    expect((await post('/v1/track', message)).status).toBe(200)
    const [event] = (await resolvedProfile(get, 'external_id', message.userId))!.events
    expect(Math.abs(Date.parse(event!.event_time) - (Date.now() - 60_000))).toBeLessThan(10_000)
    expect(event!.warnings).toContain('clock_corrected')
  })
})

describe('bodies', () => {
  test('gzip and deflate bodies are read; a broken or unknown encoding is refused', async () => {
    for (const [encoding, pack] of [['gzip', gzipSync], ['deflate', deflateSync]] as const) {
      const message = track()
      const res = await post('/v1/batch', pack(JSON.stringify({ batch: [message] })), { 'content-encoding': encoding })
      expect(res.body).toEqual({ success: true })
      expect(await resolvedProfile(get, 'external_id', message.userId)).toBeDefined()
    }
    expect((await post('/v1/batch', 'not gzip', { 'content-encoding': 'gzip' })).body.error.code).toBe('invalid_encoding')
    expect((await post('/v1/batch', '{}', { 'content-encoding': 'compress' })).status).toBe(415)
  })

  test("Segment's limits: 32 KB per call, 500 KB per batch (decompressed), 32 KB per message of a batch", async () => {
    const big = track({ properties: { blob: 'x'.repeat(33 * 1024) } })
    expect((await post('/v1/track', big)).body.error).toMatchObject({ code: 'payload_too_large' })
    expect((await post('/v1/track', big)).status).toBe(400)
    const bomb = gzipSync(JSON.stringify({ batch: [track({ properties: { blob: 'x'.repeat(600 * 1024) } })] }))
    expect(bomb.byteLength).toBeLessThan(10 * 1024)
    expect((await post('/v1/batch', bomb, { 'content-encoding': 'gzip' })).body.error.code).toBe('payload_too_large')
    const small = track()
    const res = await post('/v1/batch', { batch: [big, small] })
    expect(res.body).toEqual({ success: true, rejected: [{ index: 0, code: 'event_too_large', message: expect.stringContaining('32 KB per call') }] })
  })

  test('bad JSON and a batch without messages are 400s that quote nothing', async () => {
    const res = await post('/v1/track', '{"email": "jane@shop.io"')
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('invalid_json')
    expect(JSON.stringify(res.body)).not.toContain('jane')
    expect((await post('/v1/batch', { batch: [] })).body.error.code).toBe('invalid_batch')
    expect((await post('/v1/batch', [track()])).body.error.code).toBe('invalid_batch')
  })
})

describe('write keys', () => {
  test('none or an unknown one is a 401', async () => {
    expect((await post('/v1/track', track(), { authorization: '' })).status).toBe(401)
    expect((await post('/v1/track', { ...track(), writeKey: 'sk_unknown' }, { authorization: '' })).status).toBe(401)
  })

  test("as analytics.js sends it: the body's writeKey, text/plain, from an allowed origin, with browser trust", async () => {
    const message = track({ event: 'Order Completed', properties: { revenue: 20, currency: 'EUR' }, writeKey: publicKey })
    const res = await post('/v1/t', JSON.stringify(message), { authorization: '', 'content-type': 'text/plain', origin: SHOP })
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP)
    const { profile } = (await resolvedProfile(get, 'external_id', message.userId))!
    expect(profile).toMatchObject({ purchases_count: 0, claimed_purchases_count: 1, claimed_revenue: { EUR: 20 } })
  })

  test('a public key from another origin, and a secret key from a browser, are refused', async () => {
    const foreign = await post('/v1/track', track(), { authorization: basic(publicKey), origin: 'https://evil.example' })
    expect(foreign.status).toBe(403)
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull()
    const leaked = await post('/v1/track', track(), { origin: SHOP })
    expect(leaked.body.error.code).toBe('secret_key_from_browser')
  })

  test("a preflight allows analytics.js's headers, its retry counter included", async () => {
    const res = await t.app.request('/v1/t', { method: 'OPTIONS', headers: { origin: SHOP, 'access-control-request-method': 'POST' } })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-headers')).toContain('X-Retry-Count')
  })
})

describe('what analytics.js loads', () => {
  test("the settings point its events at this collector, for a public key from its source's origins only", async () => {
    const settings = await t.app.request(`http://collect.shop.example/v1/projects/${publicKey}/settings`, { headers: { origin: SHOP } })
    expect(settings.status).toBe(200)
    expect(settings.headers.get('access-control-allow-origin')).toBe(SHOP)
    expect(await settings.json()).toMatchObject({
      integrations: { 'Segment.io': { apiKey: publicKey, apiHost: 'collect.shop.example/v1', protocol: 'http' } },
      metrics: { sampleRate: 0 },
      remotePlugins: [],
    })
    const status = async (key: string, origin = SHOP) => (await t.app.request(`/v1/projects/${key}/settings`, { headers: { origin } })).status
    expect(await status(publicKey, 'https://evil.example')).toBe(403)
    expect(await status(secretKey)).toBe(403)
    expect(await status('sk_unknown')).toBe(401)
  })

  test('the standalone bundle and its chunks come from the installed package; nothing else does', async () => {
    const script = await t.app.request(`/analytics.js/v1/${publicKey}/analytics.min.js`)
    expect(script.status).toBe(200)
    expect(script.headers.get('content-type')).toContain('javascript')
    const umd = join(dirname(createRequire(import.meta.url).resolve('@segment/analytics-next/package.json')), 'dist', 'umd')
    expect(Buffer.from(await script.arrayBuffer()).equals(readFileSync(join(umd, 'standalone.js')))).toBe(true)
    const chunks = readdirSync(umd).filter((name) => /\.bundle\.[0-9a-f]{20}\.js$/.test(name))
    expect(chunks.length).toBeGreaterThan(0)
    for (const name of chunks) {
      const chunk = await t.app.request(`/analytics-next/bundles/${name}`)
      expect(chunk.status).toBe(200)
      expect(chunk.headers.get('cache-control')).toContain('immutable')
      expect(Buffer.from(await chunk.arrayBuffer()).equals(readFileSync(join(umd, name)))).toBe(true)
    }
    expect((await t.app.request('/analytics-next/bundles/standalone.js')).status).toBe(404)
    expect((await t.app.request('/analytics-next/bundles/..%2Fpackage.json')).status).toBe(404)
    expect((await t.app.request('/analytics-next/bundles/ajs-destination.bundle.00000000000000000000.js')).status).toBe(404)
  })
})
