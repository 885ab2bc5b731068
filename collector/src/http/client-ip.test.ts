import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestApp, newTenant, type TestApp } from '../testing/test-app'
import { clientIp, createProxyMatcher } from './client-ip'

const trusted = createProxyMatcher(['10.0.0.0/8', '::1', '127.0.0.1', 'fd00::/8'])
const none = createProxyMatcher([])

describe('clientIp', () => {
  test('the peer address when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientIp('203.0.113.9', '1.2.3.4', none)).toBe('203.0.113.9')
    expect(clientIp('10.0.0.2', '1.2.3.4', none)).toBe('10.0.0.2')
  })

  test('X-Forwarded-For from an untrusted peer is ignored', () => {
    expect(clientIp('198.51.100.7', '1.2.3.4, 10.0.0.1', trusted)).toBe('198.51.100.7')
  })

  test('behind a trusted proxy: the right-most hop that is not a trusted proxy', () => {
    expect(clientIp('10.0.0.2', '203.0.113.9', trusted)).toBe('203.0.113.9')
    // The client forged a first hop; the proxies appended what they saw.
    expect(clientIp('10.0.0.2', '6.6.6.6, 203.0.113.9, 10.0.0.1', trusted)).toBe('203.0.113.9')
    expect(clientIp('127.0.0.1', '2001:db8::5, ::1', trusted)).toBe('2001:db8::5')
  })

  test('a trusted proxy without X-Forwarded-For, or with only trusted hops, is the client itself', () => {
    expect(clientIp('10.0.0.2', undefined, trusted)).toBe('10.0.0.2')
    expect(clientIp('10.0.0.2', '10.0.0.1, 10.9.9.9', trusted)).toBe('10.0.0.2')
  })

  test('a garbage hop stops the walk instead of being taken as an address', () => {
    expect(clientIp('10.0.0.2', 'not-an-ip, 10.0.0.1', trusted)).toBe('10.0.0.2')
    expect(clientIp('10.0.0.2', "1.2.3.4'; DROP TABLE events; --", trusted)).toBe('10.0.0.2')
  })

  test('an IPv6 zone, which PostgreSQL cannot store, is garbage too', () => {
    expect(clientIp('10.0.0.2', 'fe80::1%eth0', trusted)).toBe('10.0.0.2')
    expect(clientIp('fe80::1%eth0', undefined, none)).toBeUndefined()
  })

  test('IPv4-mapped IPv6 is unwrapped, for the peer and for the hops, and matches IPv4 proxies', () => {
    expect(clientIp('::ffff:203.0.113.9', undefined, none)).toBe('203.0.113.9')
    expect(clientIp('::ffff:10.0.0.2', '::ffff:198.51.100.1', trusted)).toBe('198.51.100.1')
    expect(clientIp('::ffff:127.0.0.1', '203.0.113.9', trusted)).toBe('203.0.113.9')
  })

  test('IPv6 addresses come back in canonical form', () => {
    expect(clientIp('2001:0db8:0000:0000:0000:0000:0000:0001', undefined, none)).toBe('2001:db8::1')
    expect(clientIp('fd00::1', '2001:DB8::2', trusted)).toBe('2001:db8::2')
  })

  test('no peer address: no client IP (never one from the header)', () => {
    expect(clientIp(undefined, '203.0.113.9', trusted)).toBeUndefined()
  })
})

describe('createProxyMatcher', () => {
  test('matches CIDRs and single addresses of both families', () => {
    expect(trusted('10.255.0.1')).toBe(true)
    expect(trusted('11.0.0.1')).toBe(false)
    expect(trusted('::1')).toBe(true)
    expect(trusted('fd12::1')).toBe(true)
    expect(trusted('2001:db8::1')).toBe(false)
    expect(trusted('garbage')).toBe(false)
  })
})

describe('through the app', () => {
  let t: TestApp
  let behindProxy: TestApp
  let key: string
  let proxiedKey: string

  beforeAll(async () => {
    t = await createTestApp({}, '198.51.100.7')
    behindProxy = await createTestApp({ trustedProxies: ['10.0.0.0/8'] }, '::ffff:10.0.0.2')
    for (const [app, set] of [
      [t, (k: string) => (key = k)],
      [behindProxy, (k: string) => (proxiedKey = k)],
    ] as const) {
      const res = await app.call('POST', '/api/v1/cdp/sources', {
        token: await app.token(newTenant()),
        body: { name: 'Web', source_type: 'website' },
      })
      set(res.body.source_key)
    }
  })
  afterAll(async () => {
    await t.close()
    await behindProxy.close()
  })

  async function storedIp(app: TestApp, sourceKey: string, forwardedFor?: string) {
    const eventId = randomUUID()
    const res = await app.call('POST', '/api/v1/cdp/events', {
      headers: { 'x-source-key': sourceKey, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
      body: { events: [{ event_id: eventId, event_name: 'PageView', event_time: new Date().toISOString() }] },
    })
    expect(res.status).toBe(200)
    const row = await app.database.db.selectFrom('events').select('client_ip').where('event_id', '=', eventId).executeTakeFirstOrThrow()
    return row.client_ip
  }

  test('an untrusted peer: the connection address is stored, X-Forwarded-For ignored', async () => {
    expect(await storedIp(t, key, '1.2.3.4')).toBe('198.51.100.7')
  })

  test('behind a trusted proxy (seen as IPv4-mapped IPv6): the right-most untrusted hop is stored', async () => {
    expect(await storedIp(behindProxy, proxiedKey, '6.6.6.6, 203.0.113.9')).toBe('203.0.113.9')
    expect(await storedIp(behindProxy, proxiedKey)).toBe('10.0.0.2')
  })
})
