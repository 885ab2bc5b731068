import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mintToken } from '../../auth/mint-token'
import { createTestApp, newTenant, TEST_SECRET, type TestApp } from '../../testing/test-app'

const ME = '/api/v1/cdp/me'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

/** The `exp` claim of a JWT, in milliseconds. */
const expiryOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')).exp * 1000

describe('GET /me', () => {
  it("answers a JWT's tenant, scopes, subject and expiry", async () => {
    const tenant = newTenant()
    const token = await mintToken({ secret: TEST_SECRET, tenantId: tenant, scopes: ['sources:read', 'profiles:read'], subject: 'ops@shop.io', ttlSeconds: 600 })
    const res = await t.call('GET', ME, { token })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      tenant_id: tenant,
      tenant_name: 'tenant',
      scopes: ['profiles:read', 'sources:read'],
      via: 'jwt',
      trust: 'server',
      source_id: null,
      subject: 'ops@shop.io',
      expires_at: new Date(expiryOf(token)).toISOString(),
    })
  })

  it('needs no particular scope, and says when there is no subject', async () => {
    const tenant = newTenant()
    const res = await t.call('GET', ME, { token: await t.token(tenant, []) })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ tenant_id: tenant, scopes: [], subject: null })
  })

  it('names each tenant its own', async () => {
    const [a, b] = [newTenant(), newTenant()]
    const [resA, resB] = await Promise.all([t.call('GET', ME, { token: await t.token(a) }), t.call('GET', ME, { token: await t.token(b) })])
    expect(resA.body.tenant_id).toBe(a)
    expect(resB.body.tenant_id).toBe(b)
  })

  it('answers a source key with its source, its trust and no expiry', async () => {
    const tenant = newTenant()
    const token = await t.token(tenant)
    const web = await t.call('POST', '/api/v1/cdp/sources', { token, body: { name: 'Web', source_type: 'website', allowed_origins: ['https://shop.example'] } })
    const backend = await t.call('POST', '/api/v1/cdp/sources', { token, body: { name: 'Backend', source_type: 'server' } })

    const publicKey = await t.call('GET', ME, { headers: { 'x-source-key': web.body.source_key, origin: 'https://shop.example' } })
    expect(publicKey.status).toBe(200)
    expect(publicKey.body).toEqual({
      tenant_id: tenant,
      tenant_name: 'tenant',
      scopes: ['events:write'],
      via: 'source_key',
      trust: 'browser',
      source_id: web.body.id,
      subject: null,
      expires_at: null,
    })
    const secretKey = await t.call('GET', ME, { headers: { 'x-source-key': backend.body.source_key } })
    expect(secretKey.body).toMatchObject({ via: 'secret_key', trust: 'server', source_id: backend.body.id, expires_at: null })

    const elsewhere = await t.call('GET', ME, { headers: { 'x-source-key': web.body.source_key, origin: 'https://evil.example' } })
    expect(elsewhere.status).toBe(403)
    expect(elsewhere.body.error.code).toBe('origin_not_allowed')
  })

  it('refuses a request without credentials or with a bad token', async () => {
    expect((await t.call('GET', ME)).status).toBe(401)
    const bad = await t.call('GET', ME, { token: 'x.y.z' })
    expect(bad.status).toBe(401)
    expect(bad.body.error.code).toBe('invalid_token')
    const expired = await mintToken({ secret: TEST_SECRET, tenantId: newTenant(), scopes: ['admin'], ttlSeconds: -60 })
    expect((await t.call('GET', ME, { token: expired })).status).toBe(401)
  })
})
