import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestApp, newTenant, type TestApp } from '../../testing/test-app'

const SOURCES = '/api/v1/cdp/sources'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

async function sourceOf(tenant: string, body: Record<string, unknown>) {
  const res = await t.call('POST', SOURCES, { token: await t.token(tenant), body })
  expect(res.status).toBe(201)
  return res.body as { id: string; source_key: string; created_at: string }
}

/** Whether a public key works from `origin` (`GET /me` takes any valid credential). */
const worksFrom = async (key: string, origin: string) => (await t.call('GET', '/api/v1/cdp/me', { headers: { 'x-source-key': key, origin } })).status

describe('PATCH /sources/{id}', () => {
  test('changes the name, origins and consent rule; a new allow-list applies at once', async () => {
    const tenant = newTenant()
    const web = await sourceOf(tenant, { name: 'Web', source_type: 'website', allowed_origins: ['https://old.example'] })
    // Warms the key cache with the old allow-list.
    expect(await worksFrom(web.source_key, 'https://old.example')).toBe(200)

    const res = await t.call('PATCH', `${SOURCES}/${web.id.toUpperCase()}`, {
      token: await t.token(tenant, ['sources:write']),
      body: { name: '  Web shop ', allowed_origins: ['https://New.Example/'], requires_marketing_consent: true },
    })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      id: web.id,
      name: 'Web shop',
      source_type: 'website',
      trust: 'browser',
      source_key: web.source_key,
      allowed_origins: ['https://new.example'],
      requires_marketing_consent: true,
      created_at: web.created_at,
    })
    expect(await worksFrom(web.source_key, 'https://old.example')).toBe(403)
    expect(await worksFrom(web.source_key, 'https://new.example')).toBe(200)

    // Absent fields stay.
    const renamed = await t.call('PATCH', `${SOURCES}/${web.id}`, { token: await t.token(tenant), body: { name: 'Shop' } })
    expect(renamed.body).toMatchObject({ name: 'Shop', allowed_origins: ['https://new.example'], requires_marketing_consent: true })
    const listed = await t.call('GET', SOURCES, { token: await t.token(tenant, ['sources:read']) })
    expect(listed.body.data).toEqual([renamed.body])
  })

  test('a server source takes no origins and its secret key stays hidden', async () => {
    const tenant = newTenant()
    const backend = await sourceOf(tenant, { name: 'API', source_type: 'server' })
    const token = await t.token(tenant)
    const refused = await t.call('PATCH', `${SOURCES}/${backend.id}`, { token, body: { allowed_origins: ['https://shop.example'] } })
    expect(refused.status).toBe(400)
    expect(refused.body.error).toMatchObject({ code: 'invalid_request', details: [expect.objectContaining({ path: 'allowed_origins' })] })
    const ok = await t.call('PATCH', `${SOURCES}/${backend.id}`, { token, body: { allowed_origins: [], requires_marketing_consent: true } })
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ source_type: 'server', trust: 'server', source_key: null, allowed_origins: [], requires_marketing_consent: true })
  })

  test.each([
    ['nothing to change', {}],
    ['a blank name', { name: '   ' }],
    ['a 201-character name', { name: 'x'.repeat(201) }],
    ['an origin with a path', { allowed_origins: ['https://a.example/shop'] }],
    ['101 origins', { allowed_origins: Array.from({ length: 101 }, (_, i) => `https://a${i}.example`) }],
    ['a source_type', { source_type: 'server' }],
    ['requires_marketing_consent as a string', { requires_marketing_consent: 'yes' }],
  ])('refuses %s', async (_name, body) => {
    const tenant = newTenant()
    const web = await sourceOf(tenant, { name: 'Web', source_type: 'website' })
    const res = await t.call('PATCH', `${SOURCES}/${web.id}`, { token: await t.token(tenant), body })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('invalid_request')
  })

  test("answers 404 for an unknown source and another tenant's, which stays as it was", async () => {
    const owner = newTenant()
    const web = await sourceOf(owner, { name: 'Web', source_type: 'website' })
    const stranger = await t.token(newTenant(), ['sources:write'])
    const res = await t.call('PATCH', `${SOURCES}/${web.id}`, { token: stranger, body: { name: 'Mine now' } })
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('source_not_found')
    expect((await t.call('PATCH', `${SOURCES}/${randomUUID()}`, { token: stranger, body: { name: 'x' } })).status).toBe(404)
    const listed = await t.call('GET', SOURCES, { token: await t.token(owner) })
    expect(listed.body.data[0].name).toBe('Web')
  })

  test('needs sources:write', async () => {
    const tenant = newTenant()
    const web = await sourceOf(tenant, { name: 'Web', source_type: 'website' })
    expect((await t.call('PATCH', `${SOURCES}/${web.id}`, { body: { name: 'x' } })).status).toBe(401)
    const reader = await t.call('PATCH', `${SOURCES}/${web.id}`, { token: await t.token(tenant, ['sources:read']), body: { name: 'x' } })
    expect(reader.status).toBe(403)
    expect(reader.body.error.code).toBe('insufficient_scope')
  })
})
