import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import { createApp } from '../app'
import { type LogFields, loggerFrom } from '../log'
import { createTestApp, newTenant, type TestApp } from '../testing/test-app'

/** Every log line the app writes, as (level, message, fields). */
const lines: Array<{ level: string; msg: string; fields: LogFields }> = []
const capture = loggerFrom((level, msg, fields) => void lines.push({ level, msg, fields }))

let t: TestApp
let app: ReturnType<typeof createApp>
beforeAll(async () => {
  t = await createTestApp()
  app = createApp({ db: t.database.db, config: t.config, log: capture })
})
afterAll(() => t.close())
beforeEach(() => {
  lines.length = 0
})

const requests = () => lines.filter((l) => l.msg === 'request')

test('one line per request: method, path, status, latency, tenant', async () => {
  const tenant = newTenant()
  const res = await app.request('/api/v1/cdp/sources', { headers: { authorization: `Bearer ${await t.token(tenant)}` } })
  expect(res.status).toBe(200)
  expect(requests()).toEqual([
    {
      level: 'info',
      msg: 'request',
      fields: { method: 'GET', path: '/api/v1/cdp/sources', status: 200, latency_ms: expect.any(Number), tenant },
    },
  ])
})

test('the query string (which can carry a source key or an identifier) is never logged', async () => {
  const token = await t.token(newTenant())
  await app.request('/api/v1/cdp/profiles?identifier_type=email&identifier_value=jane.doe@shop.example', {
    headers: { authorization: `Bearer ${token}` },
  })
  await app.request('/api/v1/cdp/events?source_key=sk_secretsecret', { method: 'POST', body: '{}' })
  const text = JSON.stringify(lines)
  expect(text).not.toContain('jane.doe')
  expect(text).not.toContain('sk_secretsecret')
  expect(requests().map((l) => l.fields.path)).toEqual(['/api/v1/cdp/profiles', '/api/v1/cdp/events'])
})

test('error responses are logged with their status, unknown routes included', async () => {
  await app.request('/api/v1/cdp/sources')
  await app.request(`/api/v1/cdp/nope/${randomUUID()}`)
  expect(requests().map((l) => l.fields.status)).toEqual([401, 404])
})

test('no raw identifier or PII from the body reaches the log', async () => {
  const token = await t.token(newTenant())
  await app.request('/api/v1/cdp/events', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      events: [
        {
          event_name: 'Lead',
          event_time: new Date().toISOString(),
          identifiers: [{ type: 'email', value: 'Jane.Doe@Shop.example' }, { type: 'phone', value: '+1 650 555 1212' }],
          user_data: { fn: 'Jane' },
        },
      ],
    }),
  })
  expect(requests()).toHaveLength(1)
  const text = JSON.stringify(lines).toLowerCase()
  for (const pii of ['jane', '650', 'shop.example']) expect(text).not.toContain(pii)
})

test('a value in the path (an email) is never logged: the route pattern is', async () => {
  const token = await t.token(newTenant())
  const email = 'jane.doe@shop.example'
  await app.request(`/api/v1/cdp/profiles/${email}`, { headers: { authorization: `Bearer ${token}` } })
  await app.request(`/api/v1/cdp/profiles/${encodeURIComponent(email)}/events`)
  await app.request(`/api/v1/cdp/profiles/${randomUUID()}/consent`, { headers: { authorization: `Bearer ${token}` } })
  expect(JSON.stringify(lines)).not.toContain('jane.doe')
  expect(requests().map((l) => [l.fields.path, l.fields.status])).toEqual([
    ['/api/v1/cdp/profiles/:id', 400],
    ['/api/v1/cdp/profiles/:id/events', 401],
    ['/api/v1/cdp/profiles/:id/consent', 404],
  ])
})

test('a path no route matches is logged as a placeholder, never as sent', async () => {
  await app.request('/api/v1/cdp/nope/jane.doe@shop.example')
  await app.request('/jane.doe@shop.example', { method: 'POST', body: '{}' })
  expect(JSON.stringify(lines)).not.toContain('jane.doe')
  expect(requests().map((l) => [l.fields.path, l.fields.status])).toEqual([
    ['(unmatched)', 404],
    ['(unmatched)', 404],
  ])
})
