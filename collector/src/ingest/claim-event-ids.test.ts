import { randomUUID } from 'node:crypto'
import { sha256Hex } from '@stratum/pixel/identity'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createApp } from '../app'
import { createDatabase, type StratumDatabase } from '../db/create-database'
import { createTestApp, type TestApp } from '../testing/test-app'
import { type TwoSides, twoSides } from '../testing/test-source'

const EVENTS = '/api/v1/cdp/events'

let t: TestApp
let sides: TwoSides
/** On PostgreSQL, a second collector with its own connection pool, so that claims really race. */
let second: StratumDatabase | undefined
let secondApp: ReturnType<typeof createApp>
beforeAll(async () => {
  t = await createTestApp()
  sides = await twoSides(t)
  second = process.env.DATABASE_URL ? await createDatabase({ databaseUrl: process.env.DATABASE_URL, maxConnections: 4 }) : undefined
  secondApp = second ? createApp({ db: second.db, config: t.config }) : t.app
})
afterAll(async () => {
  await second?.close()
  await t.close()
})

const purchase = (eventId: string, identifiers: unknown[], value: number) => ({
  event_id: eventId,
  event_name: 'Purchase',
  event_time: new Date().toISOString(),
  identifiers,
  properties: { value, currency: 'EUR', order_id: `A-${eventId.slice(0, 6)}` },
})
const fromBrowser = (events: unknown[]) => sides.fromBrowser(EVENTS, { events })
const fromServer = (events: unknown[]) => sides.fromServer(EVENTS, { events })
/** The same backend call through the second collector. */
const fromOtherServer = async (events: unknown[]) => {
  const res = await secondApp.request(EVENTS, {
    method: 'POST',
    headers: { authorization: `Bearer ${sides.token}`, 'content-type': 'application/json', prefer: 'wait=resolved' },
    body: JSON.stringify({ events }),
  })
  return { status: res.status, body: await res.json() }
}
const storedCopies = (eventId: string) =>
  t.database.db
    .selectFrom('events')
    .select(['source_id', 'properties'])
    .where('tenant_id', '=', sides.tenant)
    .where('event_id', '=', eventId)
    .execute()
const profileOf = async (type: string, value: string) =>
  (await t.call('GET', `/api/v1/cdp/profiles?identifier_type=${type}&identifier_value=${encodeURIComponent(value)}`, { token: sides.token })).body
const journey = async (profileId: string) =>
  (await t.call('GET', `/api/v1/cdp/profiles/${profileId}/events?limit=100`, { token: sides.token })).body.data.map(
    (e: { event_name: string; trust: string; properties: { value: number } }) => [e.event_name, e.trust, e.properties.value],
  )

/** A shopper's browser ids and the backend's ids for the same person. */
function shopper() {
  const email = `buyer.${randomUUID().slice(0, 8)}@shop.io`
  return {
    email,
    browser: [
      { type: 'anonymous_id', value: `anon_${randomUUID()}` },
      { type: 'email', value: sha256Hex(email) },
    ],
    server: [
      { type: 'email', value: email },
      { type: 'external_id', value: `crm-${randomUUID()}` },
    ],
  }
}

describe('an event id claimed by a browser and by a backend', () => {
  test('browser first: the backend event is still stored, replaces the browser copy, and the pair counts once', async () => {
    const person = shopper()
    const eventId = randomUUID()
    const browser = await fromBrowser([purchase(eventId, person.browser, 1_000_000_000)])
    expect(browser.body.events[0].status).toBe('accepted')

    const server = await fromServer([purchase(eventId, person.server, 129.5)])
    expect(server.status).toBe(200)
    expect(server.body).toMatchObject({ accepted: 1, duplicates: 0 })
    expect(server.body.events[0]).toMatchObject({ status: 'accepted', warnings: ['browser_copy_replaced'] })

    const copies = await storedCopies(eventId)
    expect(copies).toHaveLength(1)
    expect(copies[0]).toMatchObject({ source_id: null, properties: { value: 129.5 } })
    const profile = await profileOf('email', person.email)
    expect(profile).toMatchObject({
      lifecycle_stage: 'customer',
      events_count: 1,
      purchases_count: 1,
      revenue: { EUR: 129.5 },
      claimed_purchases_count: 0,
      claimed_revenue: {},
    })
    expect(await journey(profile.id)).toEqual([['Purchase', 'server', 129.5]])
    // A replay of either copy is now a duplicate.
    expect((await fromServer([purchase(eventId, person.server, 129.5)])).body.events[0].status).toBe('duplicate')
    expect((await fromBrowser([purchase(eventId, person.browser, 5)])).body.events[0].status).toBe('duplicate')
    expect(await storedCopies(eventId)).toHaveLength(1)
  })

  test('backend first: the browser copy is the duplicate', async () => {
    const person = shopper()
    const eventId = randomUUID()
    expect((await fromServer([purchase(eventId, person.server, 80)])).body.events[0].status).toBe('accepted')
    const browser = await fromBrowser([purchase(eventId, person.browser, 80)])
    expect(browser.body).toMatchObject({ accepted: 0, duplicates: 1 })
    const copies = await storedCopies(eventId)
    expect(copies).toHaveLength(1)
    expect(copies[0]!.source_id).toBeNull()
  })

  test('the same trust twice: the second is a duplicate, within a batch and across batches', async () => {
    const person = shopper()
    const [browserId, serverId] = [randomUUID(), randomUUID()]
    const browser = await fromBrowser([purchase(browserId, person.browser, 1), purchase(browserId, person.browser, 1)])
    expect(browser.body).toMatchObject({ accepted: 1, duplicates: 1 })
    expect((await fromBrowser([purchase(browserId, person.browser, 1)])).body.duplicates).toBe(1)
    const server = await fromServer([purchase(serverId, person.server, 2), purchase(serverId, person.server, 2)])
    expect(server.body).toMatchObject({ accepted: 1, duplicates: 1 })
    expect((await fromServer([purchase(serverId, person.server, 2)])).body.duplicates).toBe(1)
    expect(await storedCopies(browserId)).toHaveLength(1)
    expect(await storedCopies(serverId)).toHaveLength(1)
  })

  test('a backend batch naming a browser-claimed id twice replaces the browser copy once', async () => {
    const person = shopper()
    const eventId = randomUUID()
    await fromBrowser([purchase(eventId, person.browser, 3)])
    const server = await fromServer([purchase(eventId, person.server, 40), purchase(eventId, person.server, 40)])
    expect(server.body).toMatchObject({ accepted: 1, duplicates: 1 })
    expect((await profileOf('email', person.email)).purchases_count).toBe(1)
    expect(await storedCopies(eventId)).toHaveLength(1)
  })

  test('racing browser and backend claims end with exactly one copy stored each time: the backend one', async () => {
    const person = shopper()
    const ids = Array.from({ length: 16 }, () => randomUUID())
    // Both sides of each pair at once, the browser's sent first; on PostgreSQL through two collectors, in parallel.
    const answers = await Promise.all(
      ids.flatMap((id) => [fromBrowser([purchase(id, person.browser, 7)]), fromOtherServer([purchase(id, person.server, 10)])]),
    )
    for (const [i, answer] of answers.entries()) {
      expect(answer.status).toBe(200)
      // Every backend copy is stored; a browser copy is stored only until the backend's replaces it.
      if (i % 2 === 1) expect(answer.body.events[0].status).toBe('accepted')
    }
    for (const id of ids) {
      const copies = await storedCopies(id)
      expect(copies, id).toHaveLength(1)
      expect(copies[0]!.source_id).toBeNull()
    }
    const profile = await profileOf('email', person.email)
    expect(profile).toMatchObject({ purchases_count: 16, revenue: { EUR: 160 }, claimed_purchases_count: 0, claimed_revenue: {} })
    expect(profile.events_count).toBe(16)
  })

  test('two backends racing to take over the same browser claim: one replaces it, the other is a duplicate', async () => {
    const person = shopper()
    const ids = Array.from({ length: 8 }, () => randomUUID())
    await fromBrowser(ids.map((id) => purchase(id, person.browser, 1)))
    const [one, other] = await Promise.all([
      fromServer(ids.map((id) => purchase(id, person.server, 5))),
      fromOtherServer(ids.map((id) => purchase(id, person.server, 5))),
    ])
    expect(one.body.accepted + other.body.accepted).toBe(8)
    expect(one.body.duplicates + other.body.duplicates).toBe(8)
    for (const id of ids) expect(await storedCopies(id), id).toHaveLength(1)
    expect(await profileOf('email', person.email)).toMatchObject({
      purchases_count: 8,
      revenue: { EUR: 40 },
      claimed_purchases_count: 0,
      claimed_revenue: {},
      events_count: 8,
    })
  })
})
