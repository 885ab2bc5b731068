import { randomUUID } from 'node:crypto'
import RudderAnalytics from '@rudderstack/rudder-sdk-node'
import { Analytics } from '@segment/analytics-node'
import { normalizeIdentifier } from '@stratum/pixel/identity'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { mintToken } from '../../auth/mint-token'
import { SCOPES } from '../../auth/scopes'
import { loggerFrom } from '../../log'
import { scanTables } from '../../privacy/scan-tables'
import { TEST_SECRET } from '../../testing/test-app'
import { resolvedProfile } from '../../testing/resolved-profile'
import { startTestServer, type TestServer } from '../../testing/test-server'

/**
 * Segment's and RudderStack's own Node clients, unmodified, pointed at a
 * collector over real HTTP with a server source's secret key as write key
 * (collector/docs/segment.md).
 */

const lines: string[] = []
const log = loggerFrom((level, msg, fields) => void lines.push(JSON.stringify({ level, msg, ...fields })))

let server: TestServer
beforeAll(async () => {
  server = await startTestServer({}, { log })
})
afterAll(() => server.close())

/** A fresh tenant with a server source: its admin token and the source's secret key. */
async function serverSource() {
  const tenant = randomUUID()
  const token = await mintToken({ secret: TEST_SECRET, tenantId: tenant, scopes: SCOPES })
  const res = await fetch(`${server.server.url}/api/v1/cdp/sources`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'backend', source_type: 'server' }),
  })
  const source = (await res.json()) as { source_key: string }
  expect(res.status).toBe(201)
  expect(source.source_key).toMatch(/^ssk_/)
  const get = async (path: string) => {
    const reply = await fetch(server.server.url + path, { headers: { authorization: `Bearer ${token}` } })
    return { status: reply.status, body: await reply.json() }
  }
  return { tenant, writeKey: source.source_key, get }
}

/** One person's journey, as the acceptance test plays it with each client. */
function journey() {
  const tag = randomUUID().slice(0, 8)
  return {
    customer: `cust-${tag}`,
    anonymousId: `anon-${tag}`,
    otherDevice: `anon-other-${tag}`,
    raw: { email: `Janeliese.Doerrbecker.${tag}@Shop.io`, phone: '+49 151 23456789', firstName: 'Janeliese', lastName: 'Doerrbecker', street: 'Kastanienallee 12', city: 'Hamburg', zip: '20095' },
  }
}
type Journey = ReturnType<typeof journey>

/** The calls each client makes, in its own API's words. */
function calls(j: Journey) {
  return {
    page: { anonymousId: j.anonymousId, name: 'Linen sofa', properties: { url: 'https://shop.example/sofa?utm_source=news&gclid=G-1', title: 'Linen sofa' } },
    identify: {
      userId: j.customer,
      anonymousId: j.anonymousId,
      traits: {
        email: j.raw.email,
        phone: j.raw.phone,
        firstName: j.raw.firstName,
        lastName: j.raw.lastName,
        address: { street: j.raw.street, city: j.raw.city, postalCode: j.raw.zip, country: 'DE' },
        plan: 'pro',
      },
    },
    track: {
      userId: j.customer,
      event: 'Order Completed',
      properties: { order_id: `o-${j.customer}`, revenue: 129.5, currency: 'EUR', products: [{ product_id: 'sofa-1', name: 'Linen sofa', price: 129.5, quantity: 1 }] },
    },
    alias: { previousId: j.otherDevice, userId: j.customer },
  }
}

/** The four calls, made on a client of either SDK (both take Segment's message objects). */
function play(client: Record<'page' | 'identify' | 'track' | 'alias', (message: any) => unknown>, j: Journey) {
  const c = calls(j)
  client.page(c.page)
  client.identify(c.identify)
  client.track(c.track)
  client.alias(c.alias)
}

/** One profile holds it all: hashed identifiers, the confirmed purchase and its revenue, each call once. */
async function expectOneCustomer(get: Parameters<typeof resolvedProfile>[0], j: Journey) {
  const found = await resolvedProfile(get, 'external_id', j.customer)
  expect(found).toBeDefined()
  const { profile, events } = found!
  const held = profile.identifiers.map((i) => `${i.type}:${i.hash}`).sort()
  expect(held).toEqual(
    [
      `anonymous_id:${j.anonymousId}`,
      `anonymous_id:${j.otherDevice}`,
      `email:${normalizeIdentifier('email', j.raw.email).value}`,
      `external_id:${j.customer}`,
      `phone:${normalizeIdentifier('phone', j.raw.phone).value}`,
    ].sort(),
  )
  expect(profile).toMatchObject({ purchases_count: 1, revenue: { EUR: 129.5 }, lifecycle_stage: 'customer', claimed_purchases_count: 0 })
  expect(profile.traits).toEqual({ plan: 'pro' })
  expect(events.map((e) => e.event_name).sort()).toEqual(['Alias', 'Identify', 'PageView', 'Purchase'])
  const purchase = events.find((e) => e.event_name === 'Purchase')!
  expect(purchase.trust).toBe('server')
  expect(purchase.properties).toMatchObject({ value: 129.5, currency: 'EUR', content_ids: ['sofa-1'], num_items: 1, order_id: `o-${j.customer}` })
  expect(purchase.context.segment).toMatchObject({ type: 'track', event: 'Order Completed' })
  const identify = events.find((e) => e.event_name === 'Identify')!
  expect(identify.properties).toEqual({ plan: 'pro' })
  expect(Object.keys(identify.user_data).sort()).toEqual(['country', 'ct', 'fn', 'ln', 'zp'])
  expect(identify.context.segment.dropped_traits).toEqual(['traits.address.street'])
  const page = events.find((e) => e.event_name === 'PageView')!
  expect(page.context.page.url).toBe('https://shop.example/sofa?utm_source=news&gclid=G-1')
  expect(page.context.click_ids).toEqual({ gclid: 'G-1' })
}

/** Nothing raw about the person in any row of the tenant, nor in any log line. */
async function expectNoRawPii(tenant: string, j: Journey) {
  const needles = [j.raw.email, j.raw.firstName, j.raw.lastName, j.raw.street, j.raw.city, j.raw.zip, '4915123456789', '15123456789', '151 23456789']
  expect(await scanTables(server.server.database.db, needles, tenant)).toEqual([])
  expect(lines.length).toBeGreaterThan(0)
  expect(lines.filter((line) => needles.some((n) => line.toLowerCase().includes(n.toLowerCase())))).toEqual([])
}

describe('@segment/analytics-node', () => {
  test('identify, Order Completed, page and alias make one customer, with nothing raw stored or logged', async () => {
    const { tenant, writeKey, get } = await serverSource()
    const analytics = new Analytics({ writeKey, host: server.server.url, flushInterval: 50 })
    const failures: unknown[] = []
    analytics.on('error', (error) => failures.push(error))
    const j = journey()
    play(analytics, j)
    await analytics.closeAndFlush({ timeout: 20_000 })
    expect(failures).toEqual([])
    await expectOneCustomer(get, j)
    await expectNoRawPii(tenant, j)
  })
})

describe('@rudderstack/rudder-sdk-node', () => {
  test('the same through its data plane URL (gzip bodies), with nothing raw stored or logged', async () => {
    const { tenant, writeKey, get } = await serverSource()
    const failures: unknown[] = []
    const client = new RudderAnalytics(writeKey, { dataPlaneUrl: server.server.url, flushInterval: 50, logLevel: 'error', errorHandler: (e: unknown) => failures.push(e) })
    const j = journey()
    play(client, j)
    await client.flush()
    expect(failures).toEqual([])
    await expectOneCustomer(get, j)
    await expectNoRawPii(tenant, j)
  })
})
