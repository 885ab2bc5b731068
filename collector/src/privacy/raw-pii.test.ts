import { hashUserData, normalizeIdentifier } from '@stratum/pixel/identity'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createApp } from '../app'
import { loggerFrom } from '../log'
import { createTestApp, newTenant, type TestApp } from '../testing/test-app'
import { scanTables } from './scan-tables'

const RAW = { email: 'Jane.Doe@Shop.io', phone: '+49 151 23456789', fn: 'Jane', ln: 'Doe' }
/** The raw values and every form of the phone's digits a leak could take. */
const NEEDLES = [RAW.email, RAW.phone, RAW.fn, RAW.ln, '4915123456789', '15123456789', '151 23456789', '23456789']

let t: TestApp
const lines: string[] = []
const log = loggerFrom((level, msg, fields) => void lines.push(JSON.stringify({ level, msg, ...fields })))

beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

test('raw email, phone and names sent through the REST API are stored nowhere and logged nowhere', async () => {
  const app = createApp({ db: t.database.db, config: t.config, log })
  const tenant = newTenant()
  const headers = { authorization: `Bearer ${await t.token(tenant)}`, 'content-type': 'application/json', prefer: 'wait=resolved' }
  const send = async (method: string, path: string, body?: unknown) => {
    const res = await app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    expect(res.status).toBe(200)
    return res.json()
  }
  const identifiers = [
    { type: 'email', value: RAW.email },
    { type: 'phone', value: RAW.phone },
  ]
  const ingested = await send('POST', '/api/v1/cdp/events', {
    events: [
      {
        event_name: 'Purchase',
        event_time: new Date().toISOString(),
        identifiers,
        user_data: { fn: RAW.fn, ln: RAW.ln },
        properties: { value: 10, currency: 'EUR' },
      },
    ],
  })
  expect(ingested.accepted).toBe(1)
  await send('POST', '/api/v1/cdp/consent', { identifiers, purposes: { analytics: true, marketing: false } })
  // Lookups take raw values too; a query string is never logged.
  await send('GET', `/api/v1/cdp/profiles?identifier_type=email&identifier_value=${encodeURIComponent(RAW.email)}`)
  const { profile_id } = ingested.events[0]
  await send('GET', `/api/v1/cdp/profiles/${profile_id}/events`)
  await send('GET', `/api/v1/cdp/profiles/${profile_id}/consent`)

  expect(await scanTables(t.database.db, NEEDLES, tenant)).toEqual([])
  // The scan does read this tenant's rows: the hashed forms are there.
  const hashed = [normalizeIdentifier('email', RAW.email).value, normalizeIdentifier('phone', RAW.phone).value, hashUserData({ fn: RAW.fn }).fn!]
  expect(new Set((await scanTables(t.database.db, hashed, tenant)).map((f) => f.value))).toEqual(new Set(hashed))
  expect(lines.length).toBeGreaterThan(0)
  const leaks = lines.filter((line) => NEEDLES.some((n) => line.toLowerCase().includes(n.toLowerCase())))
  expect(leaks).toEqual([])
})
