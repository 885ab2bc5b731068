import { afterAll, beforeAll, expect, test } from 'vitest'
import { createTestApp, newTenant, type TestApp } from '../../testing/test-app'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

test('smoke', async () => {
  const tenant = newTenant()
  const token = await t.token(tenant)
  const src = await t.call('POST', '/api/v1/cdp/sources', { token, body: { name: 'Shop', source_type: 'website' } })
  expect(src.status).toBe(201)
  const now = new Date().toISOString()
  const ev = await t.call('POST', '/api/v1/cdp/events', {
    headers: { 'x-source-key': src.body.source_key },
    body: { events: [{ event_name: 'PageView', event_time: now, identifiers: [{ type: 'anonymous_id', value: 'anon_1' }, { type: 'email', value: 'John_Smith@gmail.com' }] }] },
  })
  console.log(JSON.stringify(ev.body))
  expect(ev.status).toBe(200)
  const p = await t.call('GET', '/api/v1/cdp/profiles?identifier_type=email&identifier_value=john_smith@gmail.com', { token })
  console.log(JSON.stringify(p.body))
  expect(p.status).toBe(200)
  const j = await t.call('GET', `/api/v1/cdp/profiles/${p.body.id}/events`, { token })
  expect(j.body.data).toHaveLength(1)
  const doc = await t.call('GET', '/openapi.json')
  expect(doc.status).toBe(200)
})
