import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestApp, newTenant, type TestApp } from '../testing/test-app'
import { createSourceKey } from './source-key'

const BASE = '/api/v1/cdp'
const EVENTS = `${BASE}/events`
const SHOP = 'https://shop.example'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const batch = () => ({
  events: [
    {
      event_id: randomUUID(),
      event_name: 'PageView',
      event_time: new Date().toISOString(),
      identifiers: [{ type: 'anonymous_id', value: `anon_${randomUUID()}` }],
    },
  ],
})

function expectError(res: Awaited<ReturnType<TestApp['call']>>, status: number, code?: string) {
  expect(res.status).toBe(status)
  expect(res.body).toEqual({ error: { code: code ?? expect.any(String), message: expect.any(String), details: expect.any(Array) } })
}

async function createSource(tenant: string, allowedOrigins: string[] = []) {
  const res = await t.call('POST', `${BASE}/sources`, {
    token: await t.token(tenant, ['sources:write']),
    body: { name: 'Shop', source_type: 'website', allowed_origins: allowedOrigins },
  })
  expect(res.status).toBe(201)
  return res.body as { id: string; source_key: string }
}

describe('credentials', () => {
  test.each([
    ['POST', EVENTS],
    ['GET', `${BASE}/sources`],
    ['POST', `${BASE}/sources`],
    ['GET', `${BASE}/profiles/${randomUUID()}`],
    ['GET', `${BASE}/profiles?identifier_type=email&identifier_value=a@b.co`],
    ['GET', `${BASE}/profiles/${randomUUID()}/events`],
    ['GET', `${BASE}/health`],
  ])('%s %s without credentials → 401 in the error shape', async (method, path) => {
    const res = await t.call(method, path, method === 'POST' ? { body: batch() } : {})
    expectError(res, 401, 'missing_credentials')
  })

  test('a bad token is refused before the body is read or validated', async () => {
    expectError(await t.call('POST', EVENTS, { token: 'x.y.z', body: '{not json' }), 401)
  })
})

describe('scopes', () => {
  test.each([
    ['POST', EVENTS, 'events:write'],
    ['GET', `${BASE}/sources`, 'sources:read'],
    ['POST', `${BASE}/sources`, 'sources:write'],
    ['GET', `${BASE}/profiles/${randomUUID()}`, 'profiles:read'],
    ['GET', `${BASE}/profiles/${randomUUID()}/events`, 'profiles:read'],
    ['GET', `${BASE}/profiles?identifier_type=email&identifier_value=a@b.co`, 'profiles:read'],
  ])('%s %s without %s → 403 insufficient_scope', async (method, path, needed) => {
    const others = (['events:write', 'profiles:read', 'sources:read', 'sources:write'] as const).filter((s) => s !== needed)
    const token = await t.token(newTenant(), others)
    const body = method === 'POST' ? (path === EVENTS ? batch() : { name: 'x', source_type: 'website' }) : undefined
    const res = await t.call(method, path, { token, body })
    expectError(res, 403, 'insufficient_scope')
    expect(res.body.error.message).toContain(needed)
  })

  test('a token with no known scope → 403 (unknown words are ignored)', async () => {
    const token = await t.token(newTenant(), [])
    expectError(await t.call('GET', `${BASE}/sources`, { token }), 403, 'insufficient_scope')
  })

  test('admin implies every scope', async () => {
    const tenant = newTenant()
    const token = await t.token(tenant, ['admin'])
    expect((await t.call('GET', `${BASE}/sources`, { token })).status).toBe(200)
    expect((await t.call('POST', `${BASE}/sources`, { token, body: { name: 'x', source_type: 'server' } })).status).toBe(201)
    const ingest = await t.call('POST', EVENTS, { token, body: batch() })
    expect(ingest.status).toBe(200)
    expect((await t.call('GET', `${BASE}/profiles/${ingest.body.events[0].profile_id}`, { token })).status).toBe(200)
  })

  test('/health takes any valid token', async () => {
    const token = await t.token(newTenant(), ['events:write'])
    expect((await t.call('GET', `${BASE}/health`, { token })).status).toBe(200)
  })
})

describe('tenants', () => {
  test('a tenant is provisioned on the first use of a valid token', async () => {
    const tenant = newTenant()
    const before = await t.database.db.selectFrom('tenants').select('id').where('id', '=', tenant).execute()
    expect(before).toHaveLength(0)
    expect((await t.call('GET', `${BASE}/sources`, { token: await t.token(tenant) })).status).toBe(200)
    const after = await t.database.db.selectFrom('tenants').select('id').where('id', '=', tenant).execute()
    expect(after).toHaveLength(1)
  })

  test('an uppercase tenant_id is the same tenant', async () => {
    const tenant = newTenant()
    const source = await createSource(tenant)
    const res = await t.call('GET', `${BASE}/sources`, { token: await t.token(tenant.toUpperCase()) })
    expect(res.body.data.map((s: { id: string }) => s.id)).toEqual([source.id])
  })

  test("a token of tenant B cannot read tenant A's profile (404) nor see A's sources", async () => {
    const a = newTenant()
    const b = newTenant()
    const tokenA = await t.token(a)
    const tokenB = await t.token(b)
    const sourceA = await createSource(a)
    const ingest = await t.call('POST', EVENTS, { token: tokenA, body: batch() })
    const profileA = ingest.body.events[0].profile_id
    const anon = batch().events[0]!.identifiers[0]!.value
    expect((await t.call('GET', `${BASE}/profiles/${profileA}`, { token: tokenA })).status).toBe(200)

    expectError(await t.call('GET', `${BASE}/profiles/${profileA}`, { token: tokenB }), 404)
    expectError(await t.call('GET', `${BASE}/profiles/${profileA}/events`, { token: tokenB }), 404)
    expectError(await t.call('GET', `${BASE}/profiles?identifier_type=anonymous_id&identifier_value=${anon}`, { token: tokenB }), 404)
    const listB = await t.call('GET', `${BASE}/sources`, { token: tokenB })
    expect(listB.status).toBe(200)
    expect(listB.body.data).toEqual([])
    const listA = await t.call('GET', `${BASE}/sources`, { token: tokenA })
    expect(listA.body.data.map((s: { id: string }) => s.id)).toEqual([sourceA.id])
  })

  test("events sent with tenant A's source key land in A, whatever the body says", async () => {
    const a = newTenant()
    const source = await createSource(a)
    const res = await t.call('POST', EVENTS, { body: { ...batch(), tenant_id: newTenant() }, headers: { 'x-source-key': source.source_key } })
    // An unknown envelope key is refused outright rather than silently ignored.
    expect(res.status).toBe(400)
    const ok = await t.call('POST', EVENTS, { body: batch(), headers: { 'x-source-key': source.source_key } })
    expect(ok.status).toBe(200)
    const row = await t.database.db
      .selectFrom('events')
      .select('tenant_id')
      .where('event_id', '=', ok.body.events[0].event_id)
      .executeTakeFirstOrThrow()
    expect(row.tenant_id).toBe(a)
  })
})

describe('source keys', () => {
  test('keys are high-entropy, unique and carry their tenant', async () => {
    const tenant = newTenant()
    const keys = [await createSource(tenant), await createSource(tenant)].map((s: { source_key: string }) => s.source_key)
    expect(new Set(keys).size).toBe(2)
    for (const key of keys) {
      expect(key).toMatch(/^sk_[A-Za-z0-9_-]{54}$/)
    }
    // The list returns the keys too.
    const list = await t.call('GET', `${BASE}/sources`, { token: await t.token(tenant) })
    expect(list.body.data.map((s: { source_key: string }) => s.source_key).sort()).toEqual([...keys].sort())
  })

  test('a source key with no allowed origins works from any origin and without one', async () => {
    const source = await createSource(newTenant())
    const noOrigin = await t.call('POST', EVENTS, { body: batch(), headers: { 'x-source-key': source.source_key } })
    expect(noOrigin.status).toBe(200)
    const res = await t.call('POST', EVENTS, {
      body: batch(),
      headers: { 'x-source-key': source.source_key, origin: 'https://anywhere.example' },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe('https://anywhere.example')
  })

  test('an allowed origin → 200 with Access-Control-Allow-Origin equal to it (never *) and Vary: Origin', async () => {
    const source = await createSource(newTenant(), [SHOP, 'https://www.shop.example'])
    const res = await t.call('POST', EVENTS, { body: batch(), headers: { 'x-source-key': source.source_key, origin: SHOP } })
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(1)
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP)
    expect(res.headers.get('vary')).toMatch(/\bOrigin\b/)
    expect(res.headers.get('access-control-allow-credentials')).toBeNull()
  })

  test('errors after authentication still carry the CORS grant, so the pixel can read and drop a bad batch', async () => {
    const source = await createSource(newTenant(), [SHOP])
    const headers = { 'x-source-key': source.source_key, origin: SHOP }
    const badJson = await t.call('POST', EVENTS, { body: '{"events": [', headers })
    expectError(badJson, 400, 'invalid_json')
    expect(badJson.headers.get('access-control-allow-origin')).toBe(SHOP)
    const tooBig = await t.call('POST', EVENTS, { body: JSON.stringify({ pad: 'x'.repeat(600 * 1024) }), headers })
    expectError(tooBig, 413)
    expect(tooBig.headers.get('access-control-allow-origin')).toBe(SHOP)
  })

  test('a disallowed origin → 403, nothing stored, no CORS grant', async () => {
    const tenant = newTenant()
    const source = await createSource(tenant, [SHOP])
    for (const origin of ['https://evil.example', 'http://shop.example', 'https://shop.example.evil.example', 'https://shop.example:444', 'null']) {
      const res = await t.call('POST', EVENTS, { body: batch(), headers: { 'x-source-key': source.source_key, origin } })
      expectError(res, 403, 'origin_not_allowed')
      expect(res.headers.get('access-control-allow-origin')).toBeNull()
    }
    const stored = await t.database.db.selectFrom('events').select('event_id').where('tenant_id', '=', tenant).execute()
    expect(stored).toHaveLength(0)
  })

  test('no Origin when origins are set → 403', async () => {
    const source = await createSource(newTenant(), [SHOP])
    expectError(await t.call('POST', EVENTS, { body: batch(), headers: { 'x-source-key': source.source_key } }), 403, 'origin_not_allowed')
  })

  test('?source_key= works for sendBeacon with a text/plain body', async () => {
    const source = await createSource(newTenant(), [SHOP])
    const res = await t.call('POST', `${EVENTS}?source_key=${source.source_key}`, {
      body: JSON.stringify(batch()),
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: SHOP },
    })
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(1)
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP)
  })

  test('preflight OPTIONS is answered with the origin, the methods and headers, and a max-age', async () => {
    const res = await t.app.request(EVENTS, {
      method: 'OPTIONS',
      headers: { origin: SHOP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-source-key' },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP)
    expect(res.headers.get('access-control-allow-methods')).toContain('POST')
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-source-key')
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type')
    expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0)
    expect(res.headers.get('vary')).toMatch(/\bOrigin\b/)
  })

  test.each([
    ['GET', () => `${BASE}/profiles/${randomUUID()}`],
    ['GET', () => `${BASE}/profiles/${randomUUID()}/events`],
    ['GET', () => `${BASE}/profiles?identifier_type=email&identifier_value=a@b.co`],
    ['GET', () => `${BASE}/sources`],
    ['POST', () => `${BASE}/sources`],
    ['GET', () => `${BASE}/health`],
  ])('a source key on %s %s → 403', async (method, path) => {
    const source = await createSource(newTenant())
    const body = method === 'POST' ? { name: 'x', source_type: 'website' } : undefined
    expectError(await t.call(method, path(), { body, headers: { 'x-source-key': source.source_key } }), 403)
    expectError(await t.call(method, `${path()}${path().includes('?') ? '&' : '?'}source_key=${source.source_key}`, { body }), 403)
  })

  test.each([
    ['garbage', () => 'garbage'],
    ['the sk_ prefix alone', () => 'sk_'],
    ['a forged key for a real tenant', () => createSourceKey(newTenant())],
    ['a key with an odd alphabet', () => `sk_${'%'.repeat(54)}`],
    ['an over-long key', () => `sk_${'A'.repeat(4000)}`],
  ])('%s → 401', async (_name, key) => {
    expectError(await t.call('POST', EVENTS, { body: batch(), headers: { 'x-source-key': key() } }), 401, 'invalid_source_key')
  })

  test("a forged key carrying tenant A's id is refused (the random part is checked)", async () => {
    const a = newTenant()
    await createSource(a)
    expectError(await t.call('POST', EVENTS, { body: batch(), headers: { 'x-source-key': createSourceKey(a) } }), 401)
  })
})
