import { createHash, randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestApp, newTenant, type TestApp } from '../testing/test-app'
import { createTestSource } from '../testing/test-source'

const BASE = '/api/v1/cdp'
const EVENTS = `${BASE}/events`

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const purchase = (value = 10) => ({
  events: [
    {
      event_id: randomUUID(),
      event_name: 'Purchase',
      event_time: new Date().toISOString(),
      identifiers: [{ type: 'external_id', value: `crm-${randomUUID()}` }],
      properties: { value, currency: 'EUR' },
    },
  ],
})
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`

function expectError(res: Awaited<ReturnType<TestApp['call']>>, status: number, code: string) {
  expect(res.status).toBe(status)
  expect(res.body).toEqual({ error: { code, message: expect.any(String), details: expect.any(Array) } })
}

describe('secret keys of server and crm sources', () => {
  test.each(['server', 'crm'] as const)('a %s source gets a secret key, answered once and kept only as a hash', async (type) => {
    const tenant = newTenant()
    const created = await createTestSource(t, tenant, type)
    expect(created).toMatchObject({ source_type: type, trust: 'server', source_key: expect.stringMatching(/^ssk_[A-Za-z0-9_-]{64}$/) })

    const list = await t.call('GET', `${BASE}/sources`, { token: await t.token(tenant) })
    expect(list.body.data).toEqual([expect.objectContaining({ id: created.id, trust: 'server', source_key: null })])
    expect(JSON.stringify(list.body)).not.toContain(created.source_key)

    const row = await sql<{ row: string }>`SELECT row_to_json(s)::text AS row FROM sources AS s WHERE id = ${created.id}`.execute(t.database.db)
    expect(row.rows[0]!.row).not.toContain(created.source_key)
    expect(row.rows[0]!.row).toContain(createHash('sha256').update(created.source_key).digest('hex'))
  })

  test('a website source keeps a public key, readable by GET, with browser trust', async () => {
    const tenant = newTenant()
    const created = await createTestSource(t, tenant, 'website')
    expect(created).toMatchObject({ trust: 'browser', source_key: expect.stringMatching(/^sk_/) })
    const list = await t.call('GET', `${BASE}/sources`, { token: await t.token(tenant) })
    expect(list.body.data[0].source_key).toBe(created.source_key)
  })

  test('origins belong to browser sources: a server source with allowed_origins is a 400', async () => {
    const res = await t.call('POST', `${BASE}/sources`, {
      token: await t.token(newTenant()),
      body: { name: 'ERP', source_type: 'server', allowed_origins: ['https://shop.example'] },
    })
    expectError(res, 400, 'invalid_request')
  })

  test('a backend writes with it as Bearer, X-Source-Key or HTTP Basic, with server trust', async () => {
    const tenant = newTenant()
    const { id, source_key: key } = await createTestSource(t, tenant, 'server')
    for (const headers of [{ authorization: `Bearer ${key}` }, { 'x-source-key': key }, { authorization: basic(key) }] as Record<string, string>[]) {
      const res = await t.call('POST', EVENTS, { body: purchase(), headers })
      expect(res.status).toBe(200)
      expect(res.body.accepted).toBe(1)
      const profile = await t.call('GET', `${BASE}/profiles/${res.body.events[0].profile_id}`, { token: await t.token(tenant) })
      // Server trust: the Purchase counts as revenue and makes a customer.
      expect(profile.body).toMatchObject({ purchases_count: 1, revenue: { EUR: 10 }, lifecycle_stage: 'customer' })
      const stored = await t.database.db.selectFrom('events').select('source_id').where('event_id', '=', res.body.events[0].event_id).executeTakeFirst()
      expect(stored?.source_id).toBe(id)
    }
    const consent = await t.call('POST', `${BASE}/consent`, {
      body: { identifiers: [{ type: 'email', value: 'jane@shop.io' }], purposes: { analytics: true } },
      headers: { authorization: `Bearer ${key}` },
    })
    expect(consent.status).toBe(200)
  })

  test('it never works from a browser: Origin, Sec-Fetch-Site or the query string → 403 with no CORS grant', async () => {
    const tenant = newTenant()
    const { source_key: key } = await createTestSource(t, tenant, 'server')
    for (const headers of [
      { 'x-source-key': key, origin: 'https://shop.example' },
      { authorization: `Bearer ${key}`, origin: 'null' },
      { authorization: basic(key), 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' },
    ] as Record<string, string>[]) {
      const res = await t.call('POST', EVENTS, { body: purchase(), headers })
      expectError(res, 403, 'secret_key_from_browser')
      expect(res.headers.get('access-control-allow-origin')).toBeNull()
    }
    expectError(await t.call('POST', `${EVENTS}?source_key=${key}`, { body: purchase() }), 403, 'secret_key_from_browser')
    expectError(await t.call('POST', `${BASE}/consent`, { body: {}, headers: { 'x-source-key': key, origin: 'https://a.example' } }), 403, 'secret_key_from_browser')
    // Node's own fetch sends Sec-Fetch-Mode: cors, so that header alone is not a browser.
    expect((await t.call('POST', EVENTS, { body: purchase(), headers: { 'x-source-key': key, 'sec-fetch-mode': 'cors' } })).status).toBe(200)
    const stored = await t.database.db.selectFrom('events').select('event_id').where('tenant_id', '=', tenant).execute()
    expect(stored).toHaveLength(1)
  })

  test('it only writes: reading with it is a 403', async () => {
    const { source_key: key } = await createTestSource(t, newTenant(), 'crm')
    expectError(await t.call('GET', `${BASE}/sources`, { headers: { authorization: `Bearer ${key}` } }), 403, 'source_key_not_allowed')
  })

  test('a forged or mangled secret key → 401', async () => {
    const tenant = newTenant()
    const { source_key: key } = await createTestSource(t, tenant, 'server')
    const forged = `${key.slice(0, -4)}${key.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`
    for (const headers of [{ authorization: `Bearer ${forged}` }, { authorization: basic(forged) }, { 'x-source-key': 'ssk_' }] as Record<string, string>[]) {
      expectError(await t.call('POST', EVENTS, { body: purchase(), headers }), 401, 'invalid_source_key')
    }
    expectError(await t.call('POST', EVENTS, { body: purchase(), headers: { authorization: `Basic ${Buffer.from(`${key}:x`).toString('base64')}` } }), 401, 'invalid_token')
  })
})

describe('POST /sources/{id}/rotate-key', () => {
  test('answers a new secret key once; the old one stops working at once', async () => {
    const tenant = newTenant()
    const admin = await t.token(tenant, ['admin'])
    const created = await createTestSource(t, tenant, 'server')
    const rotated = await t.call('POST', `${BASE}/sources/${created.id}/rotate-key`, { token: admin })
    expect(rotated.status).toBe(200)
    expect(rotated.body).toMatchObject({ id: created.id, trust: 'server', source_key: expect.stringMatching(/^ssk_/) })
    expect(rotated.body.source_key).not.toBe(created.source_key)
    expectError(await t.call('POST', EVENTS, { body: purchase(), headers: { authorization: `Bearer ${created.source_key}` } }), 401, 'invalid_source_key')
    expect((await t.call('POST', EVENTS, { body: purchase(), headers: { authorization: `Bearer ${rotated.body.source_key}` } })).status).toBe(200)
    const list = await t.call('GET', `${BASE}/sources`, { token: admin })
    expect(list.body.data[0].source_key).toBeNull()
  })

  test("a website source's public key is replaced the same way", async () => {
    const tenant = newTenant()
    const created = await createTestSource(t, tenant, 'website')
    // Used once, so the collector's key cache holds it.
    expect((await t.call('POST', EVENTS, { body: purchase(), headers: { 'x-source-key': created.source_key } })).status).toBe(200)
    const rotated = await t.call('POST', `${BASE}/sources/${created.id}/rotate-key`, { token: await t.token(tenant, ['admin']) })
    expect(rotated.body).toMatchObject({ trust: 'browser', source_key: expect.stringMatching(/^sk_/) })
    expectError(await t.call('POST', EVENTS, { body: purchase(), headers: { 'x-source-key': created.source_key } }), 401, 'invalid_source_key')
    expect((await t.call('POST', EVENTS, { body: purchase(), headers: { 'x-source-key': rotated.body.source_key } })).status).toBe(200)
  })

  test('needs admin, and the source must be the tenant’s own', async () => {
    const tenant = newTenant()
    const created = await createTestSource(t, tenant, 'server')
    const path = `${BASE}/sources/${created.id}/rotate-key`
    expectError(await t.call('POST', path, { token: await t.token(tenant, ['sources:write']) }), 403, 'insufficient_scope')
    expectError(await t.call('POST', path, { token: await t.token(newTenant(), ['admin']) }), 404, 'source_not_found')
    expectError(await t.call('POST', `${BASE}/sources/not-a-uuid/rotate-key`, { token: await t.token(tenant, ['admin']) }), 400, 'invalid_request')
    expect((await t.call('POST', EVENTS, { body: purchase(), headers: { authorization: `Bearer ${created.source_key}` } })).status).toBe(200)
  })

  test('a server source created before secret keys keeps its public key, with browser trust, until rotated', async () => {
    const tenant = newTenant()
    const legacy = await createTestSource(t, tenant, 'website')
    // What the migration leaves of such a source: a public key on a server-type source.
    await sql`UPDATE sources SET source_type = 'server' WHERE id = ${legacy.id}`.execute(t.database.db)
    const admin = await t.token(tenant, ['admin'])
    const before = await t.call('POST', EVENTS, { body: purchase(), headers: { 'x-source-key': legacy.source_key } })
    expect(before.status).toBe(200)
    const profile = await t.call('GET', `${BASE}/profiles/${before.body.events[0].profile_id}`, { token: admin })
    expect(profile.body).toMatchObject({ purchases_count: 0, claimed_purchases_count: 1 })
    expect((await t.call('GET', `${BASE}/sources`, { token: admin })).body.data[0]).toMatchObject({ trust: 'browser', source_key: legacy.source_key })

    const rotated = await t.call('POST', `${BASE}/sources/${legacy.id}/rotate-key`, { token: admin })
    expect(rotated.body).toMatchObject({ trust: 'server', source_key: expect.stringMatching(/^ssk_/) })
    expectError(await t.call('POST', EVENTS, { body: purchase(), headers: { 'x-source-key': legacy.source_key } }), 401, 'invalid_source_key')
  })
})
