import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestApp, newTenant, type TestApp } from '../../testing/test-app'

const SOURCES = '/api/v1/cdp/sources'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

function expectError(res: Awaited<ReturnType<TestApp['call']>>, status: number, code?: string) {
  expect(res.status).toBe(status)
  expect(res.body).toEqual({ error: { code: code ?? expect.any(String), message: expect.any(String), details: expect.any(Array) } })
}

describe('POST /sources', () => {
  test('creates a source and returns its key', async () => {
    const token = await t.token(newTenant())
    const res = await t.call('POST', SOURCES, {
      token,
      body: { name: '  Web shop ', source_type: 'website', allowed_origins: ['https://shop.example'] },
    })
    expect(res.status).toBe(201)
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Web shop',
      source_type: 'website',
      trust: 'browser',
      source_key: expect.stringMatching(/^sk_[A-Za-z0-9_-]+$/),
      allowed_origins: ['https://shop.example'],
      requires_marketing_consent: false,
      created_at: expect.any(String),
    })
    expect(Number.isNaN(Date.parse(res.body.created_at))).toBe(false)
  })

  test('allowed_origins defaults to none (any origin)', async () => {
    const res = await t.call('POST', SOURCES, { token: await t.token(newTenant()), body: { name: 'API', source_type: 'server' } })
    expect(res.status).toBe(201)
    expect(res.body.allowed_origins).toEqual([])
  })

  test('origins are normalised the way browsers send them', async () => {
    const res = await t.call('POST', SOURCES, {
      token: await t.token(newTenant()),
      body: { name: 'x', source_type: 'website', allowed_origins: ['https://Shop.Example/', 'https://shop.example:443', 'http://localhost:3000'] },
    })
    expect(res.status).toBe(201)
    expect(res.body.allowed_origins).toEqual(['https://shop.example', 'https://shop.example', 'http://localhost:3000'])
  })

  test.each([
    ['no name', { source_type: 'website' }],
    ['a blank name', { name: '   ', source_type: 'website' }],
    ['a 201-character name', { name: 'x'.repeat(201), source_type: 'website' }],
    ['an unknown source_type', { name: 'x', source_type: 'fax' }],
    ['an unknown field', { name: 'x', source_type: 'website', tenant_id: newTenant() }],
    ['allowed_origins not an array', { name: 'x', source_type: 'website', allowed_origins: 'https://a.example' }],
    ['an origin with a path', { name: 'x', source_type: 'website', allowed_origins: ['https://a.example/shop'] }],
    ['an origin with a query', { name: 'x', source_type: 'website', allowed_origins: ['https://a.example?x=1'] }],
    ['a bare host', { name: 'x', source_type: 'website', allowed_origins: ['a.example'] }],
    ['a wildcard', { name: 'x', source_type: 'website', allowed_origins: ['*'] }],
    ['a javascript: origin', { name: 'x', source_type: 'website', allowed_origins: ['javascript:alert(1)'] }],
    ['credentials in the origin', { name: 'x', source_type: 'website', allowed_origins: ['https://u:p@a.example'] }],
    ['101 origins', { name: 'x', source_type: 'website', allowed_origins: Array.from({ length: 101 }, (_, i) => `https://s${i}.example`) }],
  ])('%s → 400 invalid_request with details', async (_name, body) => {
    const res = await t.call('POST', SOURCES, { token: await t.token(newTenant()), body })
    expectError(res, 400, 'invalid_request')
    expect(res.body.error.details.length).toBeGreaterThan(0)
    expect(res.body.error.details[0]).toMatchObject({ path: expect.any(String), message: expect.any(String) })
  })

  test('malformed JSON → 400 invalid_json', async () => {
    expectError(await t.call('POST', SOURCES, { token: await t.token(newTenant()), body: '{"name": ' }), 400, 'invalid_json')
  })

  test.each(['text/plain', 'application/xml', 'multipart/form-data; boundary=x'])('content type %s → 415', async (type) => {
    const res = await t.call('POST', SOURCES, {
      token: await t.token(newTenant()),
      body: JSON.stringify({ name: 'x', source_type: 'website' }),
      headers: { 'content-type': type },
    })
    expectError(res, 415, 'unsupported_media_type')
  })

  test('a body over 64 KB → 413', async () => {
    const res = await t.call('POST', SOURCES, {
      token: await t.token(newTenant()),
      body: { name: 'x', source_type: 'website', pad: 'x'.repeat(100 * 1024) },
    })
    expectError(res, 413, 'payload_too_large')
  })

  test('nothing is created by a refused request', async () => {
    const tenant = newTenant()
    const token = await t.token(tenant)
    await t.call('POST', SOURCES, { token, body: { name: 'x', source_type: 'fax' } })
    expect((await t.call('GET', SOURCES, { token })).body.data).toEqual([])
  })
})

describe('GET /sources', () => {
  test("lists the tenant's sources, oldest first, with their keys", async () => {
    const tenant = newTenant()
    const token = await t.token(tenant)
    const created = []
    for (const name of ['First', 'Second', 'Third']) {
      created.push((await t.call('POST', SOURCES, { token, body: { name, source_type: 'website' } })).body)
    }
    const res = await t.call('GET', SOURCES, { token })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ data: created })
  })

  test('a fresh tenant has none', async () => {
    const res = await t.call('GET', SOURCES, { token: await t.token(newTenant()) })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ data: [] })
  })
})
