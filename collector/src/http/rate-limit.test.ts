import { randomUUID } from 'node:crypto'
import type { Context } from 'hono'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createApp } from '../app'
import { loadConfig } from '../config'
import { createTestApp, newTenant, TEST_SECRET, type TestApp } from '../testing/test-app'

const EVENTS = '/api/v1/cdp/events'
const CONSENT = '/api/v1/cdp/consent'
const SHOP = 'https://shop.example'
/**
 * Small bursts and almost no refill (one token in 1,000 s), so that a test
 * counts requests, however slow the machine; a key's budget is larger than an
 * IP's, so that each limit can be seen alone.
 */
const IP_BURST = 3
const KEY_BURST = 5
const TENANT_BURST = 3
const NO_REFILL = 0.001
const base = loadConfig({ STRATUM_JWT_SECRET: TEST_SECRET, STRATUM_LOG: 'off', STRATUM_TRUSTED_PROXIES: '10.0.0.1' })
const config = {
  ...base,
  rateLimits: {
    clientIp: { perSecond: NO_REFILL, burst: IP_BURST },
    sourceKey: { perSecond: NO_REFILL, burst: KEY_BURST },
    tenant: { perSecond: NO_REFILL, burst: TENANT_BURST },
  },
}

let t: TestApp
let app: ReturnType<typeof createApp>
/** The test tells the app which peer each request comes from. */
const peerHeader = (c: Context) => c.req.header('x-test-peer')
beforeAll(async () => {
  t = await createTestApp()
  app = createApp({ db: t.database.db, config, remoteAddress: peerHeader })
})
afterAll(() => t.close())

/** A website source of a fresh tenant: its key. */
async function newSourceKey() {
  const source = await t.call('POST', '/api/v1/cdp/sources', {
    token: await t.token(newTenant()),
    body: { name: 'Shop', source_type: 'website', allowed_origins: [] },
  })
  return source.body.source_key as string
}

const batch = () => JSON.stringify({ events: [{ event_id: randomUUID(), event_name: 'PageView', event_time: new Date().toISOString() }] })
const fromBrowser = (key: string, peer: string, headers: Record<string, string> = {}) =>
  app.request(EVENTS, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'x-source-key': key, origin: SHOP, 'x-test-peer': peer, ...headers },
    body: batch(),
  })
const fromBackend = async (tenant: string, path = EVENTS, peer = '198.51.100.7') =>
  app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${await t.token(tenant)}`, 'content-type': 'application/json', 'x-test-peer': peer },
    body: path === EVENTS ? batch() : JSON.stringify({ identifiers: [{ type: 'anonymous_id', value: randomUUID() }], purposes: { analytics: true } }),
  })

/** Sends `n` requests one after the other and returns their statuses. */
async function statuses(n: number, send: () => Response | Promise<Response>) {
  const out: number[] = []
  for (let i = 0; i < n; i++) out.push((await send()).status)
  return out
}

/** A 429 in the error shape, readable by the pixel, with a whole number of seconds to wait. */
async function expectLimited(res: Response) {
  expect(res.status).toBe(429)
  const retryAfter = Number(res.headers.get('retry-after'))
  expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true)
  expect(await res.json()).toEqual({ error: { code: 'rate_limited', message: expect.any(String), details: [] } })
  return retryAfter
}

/** A client address no other request of this file used. */
let lastIp = 0
const ip = () => `203.0.113.${++lastIp}`

describe('per client IP (public source keys)', () => {
  test('a flood from one IP is refused with 429 and Retry-After; another IP on the same key is not', async () => {
    const key = await newSourceKey()
    const flooder = '192.0.2.10'
    expect(await statuses(IP_BURST, () => fromBrowser(key, flooder))).toEqual([200, 200, 200])
    const refused = await fromBrowser(key, flooder)
    expect(refused.headers.get('access-control-allow-origin')).toBe(SHOP)
    expect(refused.headers.get('access-control-expose-headers')).toBe('Retry-After')
    await expectLimited(refused)
    expect((await fromBrowser(key, '192.0.2.11')).status).toBe(200)
  })

  test('the client IP is the one a trusted proxy forwards', async () => {
    const key = await newSourceKey()
    const visitor = ip()
    const viaProxy = () => fromBrowser(key, '10.0.0.1', { 'x-forwarded-for': visitor })
    expect(await statuses(IP_BURST, viaProxy)).toEqual([200, 200, 200])
    await expectLimited(await viaProxy())
    expect((await fromBrowser(key, '10.0.0.1', { 'x-forwarded-for': ip() })).status).toBe(200)
  })

  test('an IP refused is served again once Retry-After has passed', async () => {
    const refilling = createApp({
      db: t.database.db,
      // Only the IP limited, one request a second.
      config: { ...config, rateLimits: { ...base.rateLimits, clientIp: { perSecond: 1, burst: 1 } } },
      remoteAddress: peerHeader,
    })
    const key = await newSourceKey()
    const send = () =>
      refilling.request(EVENTS, { method: 'POST', headers: { 'content-type': 'text/plain', 'x-source-key': key, 'x-test-peer': '192.0.2.30' }, body: batch() })
    // Flooded until refused: how many pass first depends on the machine's speed.
    let refused: Response | undefined
    for (let i = 0; i < 20 && !refused; i++) {
      const res = await send()
      if (res.status === 429) refused = res
    }
    const wait = await expectLimited(refused!)
    await new Promise((resolve) => setTimeout(resolve, wait * 1000))
    expect((await send()).status).toBe(200)
  })

  test('the addresses of one IPv6 /64 share a bucket; the next /64 has its own', async () => {
    const key = await newSourceKey()
    const peers = ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:ffff::3']
    expect(await statuses(peers.length, () => fromBrowser(key, peers.shift()!))).toEqual([200, 200, 200])
    await expectLimited(await fromBrowser(key, '2001:db8:1:2::4'))
    expect((await fromBrowser(key, '2001:db8:1:3::1')).status).toBe(200)
  })

  test('failed authentications count too: a flood of forged keys from one IP is refused before it reaches the key lookup', async () => {
    const flooder = '192.0.2.20'
    expect(await statuses(IP_BURST, () => fromBrowser('sk_forged', flooder))).toEqual([401, 401, 401])
    await expectLimited(await fromBrowser('sk_forged', flooder))
  })

  test('loopback peers (a local proxy not declared as trusted, the test suites) have no per-IP limit', async () => {
    // One address sends twice an IP's budget, within each key's budget.
    for (const peer of ['127.0.0.1', '127.0.0.1', '::1']) {
      const key = await newSourceKey()
      expect(await statuses(IP_BURST + 1, () => fromBrowser(key, peer))).toEqual(Array(IP_BURST + 1).fill(200))
    }
  })
})

describe('per source key', () => {
  test('a flood on one key from many IPs is refused; another key is not', async () => {
    const key = await newSourceKey()
    expect(await statuses(KEY_BURST, () => fromBrowser(key, ip()))).toEqual(Array(KEY_BURST).fill(200))
    await expectLimited(await fromBrowser(key, ip()))
    expect((await fromBrowser(await newSourceKey(), ip())).status).toBe(200)
  })

  test('POST /consent shares the key’s budget', async () => {
    const key = await newSourceKey()
    expect(await statuses(KEY_BURST, () => fromBrowser(key, ip()))).toEqual(Array(KEY_BURST).fill(200))
    const res = await app.request(CONSENT, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-source-key': key, origin: SHOP, 'x-test-peer': ip() },
      body: JSON.stringify({ identifiers: [{ type: 'anonymous_id', value: randomUUID() }], purposes: { analytics: true } }),
    })
    await expectLimited(res)
  })
})

describe('per tenant, JWT writes', () => {
  test('a flood of writes from one tenant is refused; another tenant is not; the backend IP is never limited as a browser', async () => {
    const tenant = newTenant()
    const backend = '198.51.100.50'
    expect(await statuses(2, () => fromBackend(tenant, EVENTS, backend))).toEqual([200, 200])
    expect((await fromBackend(tenant, CONSENT, backend)).status).toBe(200)
    await expectLimited(await fromBackend(tenant, EVENTS, backend))
    await expectLimited(await fromBackend(tenant, CONSENT, backend))
    // Same backend IP, another tenant: the IP is not what is limited.
    expect(await statuses(TENANT_BURST, () => fromBackend(newTenant(), EVENTS, backend))).toEqual([200, 200, 200])
  })

  test('reads are not limited', async () => {
    const tenant = newTenant()
    expect(await statuses(TENANT_BURST, () => fromBackend(tenant))).toEqual([200, 200, 200])
    const token = await t.token(tenant)
    const reads = await statuses(TENANT_BURST + 2, () => app.request('/api/v1/cdp/sources', { headers: { authorization: `Bearer ${token}` } }))
    expect(reads).toEqual(Array(TENANT_BURST + 2).fill(200))
  })
})
