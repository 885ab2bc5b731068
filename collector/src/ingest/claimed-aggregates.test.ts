import { randomUUID } from 'node:crypto'
import { sha256Hex } from '@stratum/pixel/identity'
import { expect, test } from 'vitest'
import { useTwoSides } from '../testing/test-source'

const EVENTS = '/api/v1/cdp/events'

const setup = useTwoSides()

const event = (eventName: string, identifiers: unknown[], properties: Record<string, unknown> = {}) => ({
  event_id: randomUUID(),
  event_name: eventName,
  event_time: new Date().toISOString(),
  identifiers,
  properties,
})
const fromBrowser = (events: unknown[]) => setup.sides.fromBrowser(EVENTS, { events })
const fromServer = (events: unknown[]) => setup.sides.fromServer(EVENTS, { events })
const profileBy = async (type: string, value: string) =>
  (await setup.t.call('GET', `/api/v1/cdp/profiles?identifier_type=${type}&identifier_value=${encodeURIComponent(value)}`, { token: setup.sides.token })).body

test("a browser Purchase naming a customer's email changes neither revenue nor lifecycle; it shows as claimed", async () => {
  const email = `victim.${randomUUID().slice(0, 8)}@shop.io`
  const known = `known.${randomUUID().slice(0, 8)}@shop.io`
  await fromServer([
    event('Purchase', [{ type: 'email', value: email }], { value: 50, currency: 'EUR' }),
    event('Login', [{ type: 'email', value: known }]),
  ])
  const forged = (who: string) =>
    event('Purchase', [{ type: 'anonymous_id', value: `anon_${randomUUID()}` }, { type: 'email', value: sha256Hex(who) }], {
      value: 1_000_000_000,
      currency: 'EUR',
    })
  const res = await fromBrowser([forged(email), forged(known)])
  expect(res.body.accepted).toBe(2)

  expect(await profileBy('email', email)).toMatchObject({
    lifecycle_stage: 'customer',
    purchases_count: 1,
    revenue: { EUR: 50 },
    claimed_purchases_count: 1,
    claimed_revenue: { EUR: 1_000_000_000 },
    events_count: 2,
  })
  const victim = await profileBy('email', email)
  const journey = (await setup.t.call('GET', `/api/v1/cdp/profiles/${victim.id}/events`, { token: setup.sides.token })).body.data
  expect(journey.map((e: { event_name: string; trust: string }) => [e.event_name, e.trust]).sort()).toEqual([
    ['Purchase', 'browser'],
    ['Purchase', 'server'],
  ])
  // A known person who never bought from the backend's point of view stays known, not a customer.
  expect(await profileBy('email', known)).toMatchObject({
    lifecycle_stage: 'known',
    purchases_count: 0,
    revenue: {},
    claimed_purchases_count: 1,
    claimed_revenue: { EUR: 1_000_000_000 },
  })
})

test('a merge folds the claimed figures too', async () => {
  const [a, b] = [`anon_${randomUUID()}`, `anon_${randomUUID()}`]
  await fromBrowser([event('Purchase', [{ type: 'anonymous_id', value: a }], { value: 10, currency: 'EUR' })])
  await fromBrowser([event('Purchase', [{ type: 'anonymous_id', value: b }], { value: 20.5, currency: 'USD' })])
  expect((await profileBy('anonymous_id', a)).id).not.toBe((await profileBy('anonymous_id', b)).id)
  const crm = `crm-${randomUUID()}`
  // A backend event carrying the customer number and both browsers' ids merges the three.
  await fromServer([
    event('Login', [
      { type: 'external_id', value: crm },
      { type: 'anonymous_id', value: a },
      { type: 'anonymous_id', value: b },
    ]),
  ])
  const merged = await profileBy('external_id', crm)
  expect((await profileBy('anonymous_id', a)).id).toBe(merged.id)
  expect((await profileBy('anonymous_id', b)).id).toBe(merged.id)
  expect(merged).toMatchObject({
    lifecycle_stage: 'known',
    purchases_count: 0,
    revenue: {},
    claimed_purchases_count: 2,
    claimed_revenue: { EUR: 10, USD: 20.5 },
  })
})
