import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createTestApp, newTenant, type TestApp } from '../testing/test-app'

let t: TestApp
let tenant: string
let token: string
beforeAll(async () => {
  t = await createTestApp()
  tenant = newTenant()
  token = await t.token(tenant)
})
afterAll(() => t.close())

const event = (identifiers: unknown[], eventId = randomUUID()) => ({
  event_id: eventId,
  event_name: 'PageView',
  event_time: new Date().toISOString(),
  identifiers,
})
const send = (events: unknown[]) => t.call('POST', '/api/v1/cdp/events', { token, body: { events } })
const storedFor = async (eventId: string) =>
  t.database.db.selectFrom('events').select('event_id').where('tenant_id', '=', tenant).where('event_id', '=', eventId).execute()

test('a stored analytics denial suppresses the person’s events; a later grant lets the same event in', async () => {
  const person = [{ type: 'external_id', value: `crm-${randomUUID()}` }]
  await t.call('POST', '/api/v1/cdp/consent', { token, body: { identifiers: person, purposes: { analytics: false } } })
  const other = event([{ type: 'anonymous_id', value: `anon-${randomUUID()}` }])
  const denied = event(person)
  const res = await send([denied, other])
  expect(res.status).toBe(200)
  expect(res.body).toMatchObject({ accepted: 1, duplicates: 0, suppressed: 1 })
  expect(res.body.events[0]).toMatchObject({ index: 0, status: 'suppressed', profile_id: null })
  expect(res.body.events[1]).toMatchObject({ index: 1, status: 'accepted' })
  expect(await storedFor(denied.event_id)).toHaveLength(0)

  await t.call('POST', '/api/v1/cdp/consent', { token, body: { identifiers: person, purposes: { analytics: true } } })
  // The suppressed event's id was released: a retry is stored, not called a duplicate.
  const retry = await send([denied])
  expect(retry.body).toMatchObject({ accepted: 1, duplicates: 0, suppressed: 0 })
  expect(await storedFor(denied.event_id)).toHaveLength(1)
})

test('after an erasure, events carrying the erased identifier are dropped and counted', async () => {
  const email = `erase.${randomUUID().slice(0, 8)}@shop.io`
  await send([event([{ type: 'email', value: email }])])
  const erased = await t.call('POST', '/api/v1/cdp/erasure', { token, body: { identifier_type: 'email', identifier_value: email } })
  expect(erased.status).toBe(200)
  const later = event([{ type: 'email', value: email.toUpperCase() }, { type: 'anonymous_id', value: `anon-${randomUUID()}` }])
  const res = await send([later])
  expect(res.body).toMatchObject({ accepted: 0, suppressed: 1 })
  expect(await storedFor(later.event_id)).toHaveLength(0)
  const lookup = await t.call('GET', `/api/v1/cdp/profiles?identifier_type=email&identifier_value=${encodeURIComponent(email)}`, { token })
  expect(lookup.status).toBe(404)
})
