import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestApp, newTenant, TEST_SECRET, type TestApp } from '../testing/test-app'

const SOURCES = '/api/v1/cdp/sources'
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const now = () => Math.floor(Date.now() / 1000)

/** Claims of a valid token for `tenant`, valid for an hour. */
const claims = (tenant: string, extra: Record<string, unknown> = {}) => ({
  tenant_id: tenant,
  scope: 'sources:read',
  exp: now() + 3600,
  ...extra,
})

const hs256 = (payload: Record<string, unknown>, secret: string | Uint8Array = TEST_SECRET) =>
  new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(typeof secret === 'string' ? new TextEncoder().encode(secret) : secret)

function expectUnauthorized(res: Awaited<ReturnType<TestApp['call']>>) {
  expect(res.status).toBe(401)
  expect(res.body).toEqual({ error: { code: expect.any(String), message: expect.any(String), details: [] } })
}

describe('HS256 (shared secret)', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp()
  })
  afterAll(() => t.close())

  const get = (token: string) => t.call('GET', SOURCES, { token })

  test('a valid token is accepted', async () => {
    expect((await get(await hs256(claims(newTenant())))).status).toBe(200)
  })

  test('a token signed with another secret → 401', async () => {
    expectUnauthorized(await get(await hs256(claims(newTenant()), 'another-secret-that-is-32-characters-or-more')))
  })

  test('a tampered payload → 401', async () => {
    const [header, , signature] = (await hs256(claims(newTenant()))).split('.')
    expectUnauthorized(await get(`${header}.${b64(claims(newTenant(), { scope: 'admin' }))}.${signature}`))
  })

  test.each([
    ['alg none, no signature', { alg: 'none' }, ''],
    ['alg none, with a signature', { alg: 'none' }, 'AAAA'],
    ['alg NONE', { alg: 'NONE' }, ''],
    ['no alg', { typ: 'JWT' }, ''],
  ])('%s → 401', async (_name, header, signature) => {
    expectUnauthorized(await get(`${b64(header)}.${b64(claims(newTenant()))}.${signature}`))
  })

  test('an HS512 token with the right secret is refused: the algorithm is pinned', async () => {
    const token = await new SignJWT(claims(newTenant()))
      .setProtectedHeader({ alg: 'HS512' })
      .sign(new TextEncoder().encode(TEST_SECRET))
    expectUnauthorized(await get(token))
  })

  test('an expired token → 401 saying so', async () => {
    const res = await get(await hs256(claims(newTenant(), { exp: now() - 60 })))
    expectUnauthorized(res)
    expect(res.body.error.message).toMatch(/expired/i)
  })

  test('a token without exp → 401', async () => {
    const { exp: _none, ...noExp } = claims(newTenant())
    expectUnauthorized(await get(await hs256(noExp)))
  })

  test('a token not yet valid (nbf in the future) → 401', async () => {
    expectUnauthorized(await get(await hs256(claims(newTenant(), { nbf: now() + 3600 }))))
  })

  test('a token without tenant_id, or with one that is not a UUID → 401', async () => {
    expectUnauthorized(await get(await hs256({ scope: 'sources:read', exp: now() + 60 })))
    expectUnauthorized(await get(await hs256(claims("x' OR '1'='1"))))
  })

  test.each(['Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer a.b', 'Bearer not-a-jwt', 'Bearer a.b.c.d', `Bearer ${'x'.repeat(5000)}`])(
    'Authorization %j → 401',
    async (header) => {
      expectUnauthorized(await t.call('GET', SOURCES, { headers: { authorization: header } }))
    },
  )
})

describe('iss and aud, when configured', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp({
      jwt: { secret: TEST_SECRET, jwksAlgorithms: ['RS256', 'ES256'], issuer: 'https://idp.example', audience: 'stratum' },
    })
  })
  afterAll(() => t.close())

  const get = async (extra: Record<string, unknown>) => t.call('GET', SOURCES, { token: await hs256(claims(newTenant(), extra)) })

  test('the right iss and aud → 200', async () => {
    expect((await get({ iss: 'https://idp.example', aud: 'stratum' })).status).toBe(200)
    expect((await get({ iss: 'https://idp.example', aud: ['other', 'stratum'] })).status).toBe(200)
  })

  test('a wrong or missing iss → 401', async () => {
    expectUnauthorized(await get({ iss: 'https://evil.example', aud: 'stratum' }))
    expectUnauthorized(await get({ aud: 'stratum' }))
  })

  test('a wrong or missing aud → 401', async () => {
    expectUnauthorized(await get({ iss: 'https://idp.example', aud: 'other' }))
    expectUnauthorized(await get({ iss: 'https://idp.example' }))
  })
})

describe('JWKS (RS256, ES256) and key confusion', () => {
  let jwksServer: Server
  let rsa: CryptoKeyPair
  let ec: CryptoKeyPair
  let rsaPem: string
  let jwksOnly: TestApp
  let both: TestApp

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256', { extractable: true })
    ec = await generateKeyPair('ES256', { extractable: true })
    rsaPem = await exportSPKI(rsa.publicKey)
    const keys = [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ]
    jwksServer = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ keys }))
    })
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve))
    const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`
    jwksOnly = await createTestApp({ jwt: { jwksUrl, jwksAlgorithms: ['RS256', 'ES256'] } })
    both = await createTestApp({ jwt: { secret: TEST_SECRET, jwksUrl, jwksAlgorithms: ['RS256', 'ES256'] } })
  })
  afterAll(async () => {
    await jwksOnly.close()
    await both.close()
    await new Promise((resolve) => jwksServer.close(resolve))
  })

  const sign = (alg: 'RS256' | 'ES256', kid: string, key: CryptoKey, payload = claims(newTenant())) =>
    new SignJWT(payload).setProtectedHeader({ alg, kid, typ: 'JWT' }).sign(key)

  test('an RS256 token from the JWKS verifies', async () => {
    const token = await sign('RS256', 'rsa-1', rsa.privateKey)
    expect((await jwksOnly.call('GET', SOURCES, { token })).status).toBe(200)
    expect((await both.call('GET', SOURCES, { token })).status).toBe(200)
  })

  test('an ES256 token from the JWKS verifies', async () => {
    const token = await sign('ES256', 'ec-1', ec.privateKey)
    expect((await jwksOnly.call('GET', SOURCES, { token })).status).toBe(200)
  })

  test('an RS256 token signed by a key not in the JWKS → 401', async () => {
    const stranger = await generateKeyPair('RS256')
    expectUnauthorized(await jwksOnly.call('GET', SOURCES, { token: await sign('RS256', 'rsa-1', stranger.privateKey) }))
  })

  test('a kid the JWKS does not have → 401 (not 503: the keys were fetched fine)', async () => {
    const stranger = await generateKeyPair('RS256')
    expectUnauthorized(await jwksOnly.call('GET', SOURCES, { token: await sign('RS256', 'unknown-kid', stranger.privateKey) }))
  })

  test('an expired RS256 token → 401', async () => {
    const token = await sign('RS256', 'rsa-1', rsa.privateKey, claims(newTenant(), { exp: now() - 10 }))
    expectUnauthorized(await jwksOnly.call('GET', SOURCES, { token }))
  })

  test('key confusion: an HS256 token signed with the RSA public key as secret is refused', async () => {
    for (const secret of [rsaPem, new TextEncoder().encode(rsaPem), JSON.stringify(await exportJWK(rsa.publicKey))]) {
      const token = await new SignJWT(claims(newTenant()))
        .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
        .sign(typeof secret === 'string' ? new TextEncoder().encode(secret) : secret)
      expectUnauthorized(await jwksOnly.call('GET', SOURCES, { token }))
      expectUnauthorized(await both.call('GET', SOURCES, { token }))
    }
  })

  test('an HS256 token is refused when only a JWKS is configured, even signed with the shared test secret', async () => {
    expectUnauthorized(await jwksOnly.call('GET', SOURCES, { token: await hs256(claims(newTenant())) }))
  })

  test('with both configured, HS256 still works with the shared secret', async () => {
    expect((await both.call('GET', SOURCES, { token: await hs256(claims(newTenant())) })).status).toBe(200)
  })

  test('an RS256 header on an ES256 key (algorithm swap) → 401', async () => {
    const es = await sign('ES256', 'ec-1', ec.privateKey)
    const [, payload, signature] = es.split('.')
    const swapped = `${b64({ alg: 'RS256', kid: 'ec-1' })}.${payload}.${signature}`
    expectUnauthorized(await jwksOnly.call('GET', SOURCES, { token: swapped }))
  })

  test('alg none is refused with a JWKS too', async () => {
    expectUnauthorized(await jwksOnly.call('GET', SOURCES, { token: `${b64({ alg: 'none' })}.${b64(claims(newTenant()))}.` }))
  })
})

describe('JWKS unreachable', () => {
  test('a token cannot be verified yet → 503 with Retry-After (retryable), never 200, 401 or 500', async () => {
    const t = await createTestApp({ jwt: { jwksUrl: 'http://127.0.0.1:1/jwks.json', jwksAlgorithms: ['RS256'] } })
    try {
      const { privateKey } = await generateKeyPair('RS256')
      const token = await new SignJWT(claims(newTenant())).setProtectedHeader({ alg: 'RS256', kid: 'k' }).sign(privateKey)
      const res = await t.call('GET', SOURCES, { token })
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/)
      expect(res.body.error.code).toBe('jwks_unavailable')
      // A token the JWKS could never verify (HS256) is still a plain 401.
      expectUnauthorized(await t.call('GET', SOURCES, { token: await hs256(claims(newTenant())) }))
    } finally {
      await t.close()
    }
  })
})
