import { sha256Hex } from '@stratum/pixel/identity'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestApp, newTenant, type TestApp } from '../testing/test-app'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString()
const EVENTS = '/api/v1/cdp/events'

async function setup() {
  const tenant = newTenant()
  const token = await t.token(tenant)
  const source = await t.call('POST', '/api/v1/cdp/sources', { token, body: { name: 'Web', source_type: 'website' } })
  const send = (events: unknown[], via: 'browser' | 'server' = 'server') =>
    t.call('POST', EVENTS, {
      ...(via === 'server' ? { token } : { headers: { 'x-source-key': source.body.source_key } }),
      body: { events },
    })
  const lookup = (type: string, value: string) =>
    t.call('GET', `/api/v1/cdp/profiles?identifier_type=${type}&identifier_value=${encodeURIComponent(value)}`, { token })
  return { tenant, token, send, lookup }
}

describe('identity resolution through the API', () => {
  test('anonymous visitor → identify → server purchase ends as one customer profile', async () => {
    const { send, lookup, token } = await setup()
    const anon = [{ type: 'anonymous_id', value: 'anon_journey' }]
    const browse = await send(
      [
        { event_name: 'PageView', event_time: minutesAgo(30), identifiers: anon, context: { session_id: 's1' } },
        { event_name: 'ViewContent', event_time: minutesAgo(29), identifiers: anon, context: { session_id: 's1' } },
      ],
      'browser',
    )
    expect(browse.body.accepted).toBe(2)
    const email = sha256Hex('jane.doe@shop.io')
    await send(
      [{ event_name: 'Login', event_time: minutesAgo(20), identifiers: [...anon, { type: 'email', value: email }], context: { session_id: 's1' } }],
      'browser',
    )
    const purchase = await send([
      {
        event_name: 'Purchase',
        event_time: minutesAgo(10),
        action_source: 'server',
        identifiers: [{ type: 'email', value: 'Jane.Doe@Shop.io' }, { type: 'external_id', value: 'crm-42' }],
        properties: { value: 129.5, currency: 'EUR', order_id: 'A-1' },
      },
    ])
    expect(purchase.body.accepted).toBe(1)

    const byEmail = await lookup('email', 'JANE.DOE@shop.io')
    expect(byEmail.status).toBe(200)
    const profile = byEmail.body
    expect(profile).toMatchObject({
      lifecycle_stage: 'customer',
      events_count: 4,
      sessions_count: 1,
      purchases_count: 1,
      revenue: { EUR: 129.5 },
    })
    expect(profile.identifiers.map((i: { type: string }) => i.type).sort()).toEqual(['anonymous_id', 'email', 'external_id'])
    expect(profile.identifiers.find((i: { type: string }) => i.type === 'email').hash).toBe(email)
    expect((await lookup('anonymous_id', 'anon_journey')).body.id).toBe(profile.id)
    expect((await lookup('external_id', 'crm-42')).body.id).toBe(profile.id)
    expect((await lookup('email', email.toUpperCase())).body.id).toBe(profile.id)

    const journey = await t.call('GET', `/api/v1/cdp/profiles/${profile.id}/events`, { token })
    expect(journey.body.data.map((e: { event_name: string }) => e.event_name)).toEqual(['Purchase', 'Login', 'ViewContent', 'PageView'])
    expect(journey.body.data.every((e: { emq: number }) => typeof e.emq === 'number')).toBe(true)
  })

  test('a merge folds aggregates without double-counting and the loser answers with the survivor', async () => {
    const { send, lookup, token, tenant } = await setup()
    const a = await send([
      { event_name: 'PageView', event_time: minutesAgo(50), identifiers: [{ type: 'anonymous_id', value: 'a-merge' }], context: { session_id: 'shared' } },
      { event_name: 'PageView', event_time: minutesAgo(49), identifiers: [{ type: 'anonymous_id', value: 'a-merge' }], context: { session_id: 'shared' } },
    ])
    const b = await send([
      {
        event_name: 'Purchase',
        event_time: minutesAgo(40),
        identifiers: [{ type: 'email', value: 'merge.me@shop.io' }],
        properties: { value: 10.1, currency: 'usd' },
        context: { session_id: 'shared' },
      },
    ])
    const loserCandidate = a.body.events[0].profile_id
    const other = b.body.events[0].profile_id
    expect(loserCandidate).not.toBe(other)
    const bridge = await send([
      {
        event_name: 'Purchase',
        event_time: minutesAgo(30),
        identifiers: [{ type: 'anonymous_id', value: 'a-merge' }, { type: 'email', value: 'merge.me@shop.io' }],
        properties: { value: 20.2, currency: 'USD' },
        context: { session_id: 'other' },
      },
    ])
    const survivor = bridge.body.events[0].profile_id
    // Survivor rule: neither holds an external id, the anonymous one was seen first.
    expect(survivor).toBe(loserCandidate)
    const profile = (await lookup('email', 'merge.me@shop.io')).body
    expect(profile).toMatchObject({
      id: survivor,
      events_count: 4,
      sessions_count: 2,
      purchases_count: 2,
      revenue: { USD: 30.3 },
      lifecycle_stage: 'customer',
      merged_from: [other],
    })
    const merged = await t.call('GET', `/api/v1/cdp/profiles/${other}`, { token })
    expect(merged.body).toMatchObject({ id: survivor, merged: true, requested_id: other })

    const first = await t.call('GET', `/api/v1/cdp/profiles/${other}/events?limit=3`, { token })
    expect(first.body.data).toHaveLength(3)
    const second = await t.call('GET', `/api/v1/cdp/profiles/${other}/events?limit=3&cursor=${first.body.next_cursor}`, { token })
    expect(second.body.data).toHaveLength(1)
    expect(second.body.next_cursor).toBeNull()
    const times = [...first.body.data, ...second.body.data].map((e: { event_time: string }) => e.event_time)
    expect(times).toEqual([...times].sort().reverse())

    const log = await t.database.db
      .selectFrom('profile_merges')
      .selectAll()
      .where('tenant_id', '=', tenant)
      .execute()
    expect(log).toEqual([
      expect.objectContaining({ winner_id: survivor, loser_id: other, rule: 'weak_identifier', identifier_type: 'anonymous_id', event_id: bridge.body.events[0].event_id }),
    ])
  })

  test('future-dated events do not move last_seen_at', async () => {
    const { send, lookup } = await setup()
    const past = minutesAgo(5)
    await send([
      { event_name: 'PageView', event_time: past, identifiers: [{ type: 'external_id', value: 'future-1' }] },
      { event_name: 'PageView', event_time: new Date(Date.now() + 3_600_000).toISOString(), identifiers: [{ type: 'external_id', value: 'future-1' }] },
    ])
    const profile = (await lookup('external_id', 'future-1')).body
    expect(profile.events_count).toBe(2)
    expect(profile.last_seen_at).toBe(past)
  })

  test("an identifier's last_seen_at moves when an event is over a minute newer, never within the minute", async () => {
    const { send, lookup } = await setup()
    const seenAt = async (value: string) =>
      (await lookup('external_id', value)).body.identifiers.find((i: { type: string }) => i.type === 'external_id').last_seen_at
    const id = [{ type: 'external_id', value: 'seen-1' }]
    const first = minutesAgo(10)
    await send([{ event_name: 'PageView', event_time: first, identifiers: id }])
    await send([{ event_name: 'PageView', event_time: new Date(Date.parse(first) + 30_000).toISOString(), identifiers: id }])
    expect(await seenAt('seen-1')).toBe(first)
    const later = minutesAgo(5)
    await send([{ event_name: 'PageView', event_time: later, identifiers: id }])
    expect(await seenAt('seen-1')).toBe(later)
    // A new identifier seen twice in one round: inserted at its first event, moved by its last.
    const twice = [{ type: 'external_id', value: 'seen-2' }]
    await send([
      { event_name: 'PageView', event_time: minutesAgo(20), identifiers: twice },
      { event_name: 'PageView', event_time: later, identifiers: twice },
    ])
    expect(await seenAt('seen-2')).toBe(later)
  })

  test('a browser event never merges two known profiles (G2), a server event does', async () => {
    const { send, lookup } = await setup()
    await send([{ event_name: 'Lead', event_time: minutesAgo(9), identifiers: [{ type: 'email', value: 'g2-a@shop.io' }] }])
    await send([{ event_name: 'Lead', event_time: minutesAgo(8), identifiers: [{ type: 'phone', value: '+4915123456789' }] }])
    const both = [{ type: 'email', value: sha256Hex('g2-a@shop.io') }, { type: 'phone', value: sha256Hex('4915123456789') }]
    const browser = await send([{ event_name: 'Contact', event_time: minutesAgo(7), identifiers: both }], 'browser')
    expect(browser.body.events[0].warnings).toContain('merge_blocked:G2')
    expect((await lookup('email', 'g2-a@shop.io')).body.id).not.toBe((await lookup('phone', '+4915123456789')).body.id)
    await send([{ event_name: 'Contact', event_time: minutesAgo(6), identifiers: both }], 'server')
    expect((await lookup('email', 'g2-a@shop.io')).body.id).toBe((await lookup('phone', '+4915123456789')).body.id)
  })
})
