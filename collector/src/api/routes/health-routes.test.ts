import { afterAll, beforeAll, expect, test } from 'vitest'
import { createTestApp, newTenant, type TestApp } from '../../testing/test-app'
import { VERSION } from '../../version'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

test('/livez → 200 without credentials', async () => {
  const res = await t.call('GET', '/livez')
  expect(res.status).toBe(200)
  expect(res.body.status).toBe('ok')
})

test('/readyz → 200 without credentials while storage answers', async () => {
  const res = await t.call('GET', '/readyz')
  expect(res.status).toBe(200)
  expect(res.body).toMatchObject({ status: 'ready', storage: { status: 'ok' } })
})

test('GET /health with a token: status, version and storage', async () => {
  const res = await t.call('GET', '/api/v1/cdp/health', { token: await t.token(newTenant(), ['profiles:read']) })
  expect(res.status).toBe(200)
  expect(res.body).toMatchObject({
    status: 'ok',
    version: VERSION,
    // The kind comes from the config, which the test app leaves without DATABASE_URL.
    storage: { status: 'ok', kind: expect.stringMatching(/^(pglite|postgres)$/) },
  })
})

test('GET /health without a token → 401', async () => {
  const res = await t.call('GET', '/api/v1/cdp/health')
  expect(res.status).toBe(401)
  expect(res.body.error.code).toBe('missing_credentials')
})
