import { afterAll, beforeAll, expect, test } from 'vitest'
import { createTestApp, newTenant, type TestApp } from '../testing/test-app'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const SHOP = 'https://shop.example'
const body = { events: [{ event_name: 'PageView', event_time: new Date().toISOString() }] }

test('an error for an allowed origin is readable and exposes Retry-After', async () => {
  const token = await t.token(newTenant())
  const source = await t.call('POST', '/api/v1/cdp/sources', { token, body: { name: 'S', source_type: 'website', allowed_origins: [SHOP] } })
  const res = await t.call('POST', '/api/v1/cdp/events', {
    body: '{not json',
    headers: { 'x-source-key': source.body.source_key, origin: SHOP, 'content-type': 'text/plain' },
  })
  expect(res.status).toBe(400)
  expect(res.headers.get('access-control-allow-origin')).toBe(SHOP)
  expect(res.headers.get('access-control-expose-headers')).toBe('Retry-After')
})

test('a forged source key gets a readable 401, so the pixel drops instead of retrying', async () => {
  const res = await t.call('POST', '/api/v1/cdp/events', { body, headers: { 'x-source-key': 'sk_forged', origin: SHOP } })
  expect(res.status).toBe(401)
  expect(res.headers.get('access-control-allow-origin')).toBe(SHOP)
})

test('routes for backends get no CORS headers', async () => {
  const res = await t.call('GET', '/api/v1/cdp/sources', { headers: { origin: SHOP } })
  expect(res.status).toBe(401)
  expect(res.headers.get('access-control-allow-origin')).toBeNull()
})
