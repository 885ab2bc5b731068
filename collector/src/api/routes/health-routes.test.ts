import { afterAll, beforeAll, expect, test } from 'vitest'
import { createApp } from '../../app'
import { createResolver } from '../../resolver/resolver'
import { resolvePending } from '../../resolver/resolve-pending'
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

test('GET /health shows the resolution backlog: events stored but not yet in a profile', async () => {
  const tenant = newTenant()
  const token = await t.token(tenant)
  // A collector whose resolver is stopped: appends stay pending until a round runs.
  const stopped = createResolver({ db: t.database.db })
  await stopped.close()
  const app = createApp({ db: t.database.db, config: t.config, resolver: stopped })
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const events = [{ event_name: 'PageView', event_time: new Date().toISOString(), identifiers: [{ type: 'anonymous_id', value: `a_${tenant}` }] }]
  expect((await app.request('/api/v1/cdp/events', { method: 'POST', headers, body: JSON.stringify({ events }) })).status).toBe(200)
  const behind = await (await app.request('/api/v1/cdp/health', { headers })).json()
  expect(behind.resolution).toEqual({ pending: 1, oldest_pending_seconds: expect.any(Number) })
  expect(await resolvePending(t.database.db, tenant, 10)).toMatchObject({ status: 'done', resolved: 1 })
  const caughtUp = await (await app.request('/api/v1/cdp/health', { headers })).json()
  expect(caughtUp).toMatchObject({ status: 'ok', resolution: { pending: 0, oldest_pending_seconds: null } })
})
