import { sha256Hex } from '@stratum/pixel/identity'
import { expect, test } from 'vitest'
import { twoSides } from '../testing/test-source'
import { CHROME_UA, createDestination, deliveriesOf, EVENTS, sendFromPage, testWorker, webEvent, useTrustApp } from '../testing/trust-engine'

const app = useTrustApp()

/** A rich web event of the person with this email (and no phone or customer number, which other people's events share). */
const personEvent = (name: string, email: string, extra: Record<string, unknown> = {}) => {
  const event = webEvent(name, 'rich', extra)
  return { ...event, identifiers: [...event.identifiers.filter((i) => i.type === 'anonymous_id'), { type: 'email', value: sha256Hex(email) }] }
}

async function metaTenant() {
  const sides = await twoSides(app.t)
  await createDestination(app.t, sides, { type: 'meta_capi', config: { pixel_id: '1', access_token: 'EAAB', api_base_url: app.graph.url } })
  return sides
}
const sentIds = () => new Set(app.graph.accepted.map((e) => e.event_id))

test('a marketing denial recorded after ingest stops the delivery at send time', async () => {
  const sides = await metaTenant()
  const jane = [personEvent('PageView', 'jane@gmail.com'), personEvent('Purchase', 'jane@gmail.com')]
  const john = personEvent('Purchase', 'john@gmail.com')
  await sendFromPage(app.t, sides, [...jane, john])
  const consent = await sides.fromServer('/api/v1/cdp/consent', {
    identifiers: [{ type: 'email', value: 'jane@gmail.com' }],
    purposes: { marketing: false },
  })
  expect(consent.status).toBe(200)
  await testWorker(app.t).runOnce()
  const rows = await deliveriesOf(app.t, sides.tenant)
  for (const e of jane) expect(rows.get(e.event_id)).toMatchObject({ status: 'suppressed', reason: 'marketing_denied' })
  expect(rows.get(john.event_id)!.status).toBe('delivered')
  for (const e of jane) expect(sentIds().has(e.event_id)).toBe(false)
})

test("a source that requires marketing consent sends only events with the event's own grant or the person's", async () => {
  const sides = await metaTenant()
  const res = await app.t.call('POST', '/api/v1/cdp/sources', {
    token: sides.token,
    body: { name: 'Opt-in shop', source_type: 'website', requires_marketing_consent: true },
  })
  expect(res.body.requires_marketing_consent).toBe(true)
  const send = (events: unknown[]) =>
    app.t.call('POST', EVENTS, { body: { events }, headers: { 'x-source-key': res.body.source_key, 'user-agent': CHROME_UA } })
  const silent = personEvent('Purchase', 'ann@gmail.com')
  const stamped = personEvent('Purchase', 'bob@gmail.com', { consent: { marketing: true } })
  const recorded = personEvent('Purchase', 'cid@gmail.com')
  await send([silent, stamped, recorded])
  await sides.fromServer('/api/v1/cdp/consent', { identifiers: [{ type: 'email', value: 'cid@gmail.com' }], purposes: { marketing: true } })
  await testWorker(app.t).runOnce()
  const rows = await deliveriesOf(app.t, sides.tenant)
  expect(rows.get(silent.event_id)).toMatchObject({ status: 'suppressed', reason: 'no_marketing_consent' })
  expect(rows.get(stamped.event_id)!.status).toBe('delivered')
  expect(rows.get(recorded.event_id)!.status).toBe('delivered')
  expect(sentIds().has(silent.event_id)).toBe(false)
})

test("an erasure drops the person's pending deliveries", async () => {
  const sides = await metaTenant()
  const erased = [personEvent('PageView', 'eve@gmail.com'), personEvent('Purchase', 'eve@gmail.com')]
  const kept = personEvent('Purchase', 'kim@gmail.com')
  await sendFromPage(app.t, sides, [...erased, kept])
  const erasure = await sides.fromServer('/api/v1/cdp/erasure', { identifier_type: 'email', identifier_value: 'eve@gmail.com' })
  expect(erasure.body.counts).toMatchObject({ events: 2, deliveries: 2 })
  await testWorker(app.t).runOnce()
  const rows = await deliveriesOf(app.t, sides.tenant)
  expect([...rows.keys()]).toEqual([kept.event_id])
  expect(rows.get(kept.event_id)!.status).toBe('delivered')
  for (const e of erased) expect(sentIds().has(e.event_id)).toBe(false)
})
