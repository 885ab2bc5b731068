import { describe, expect, test } from 'vitest'
import { twoSides } from '../testing/test-source'
import { createDestination, DESTINATIONS, deliveriesOf, EVENTS, type Richness, sendFromPage, testWorker, webEvent, useTrustApp } from '../testing/trust-engine'

const app = useTrustApp()

/**
 * A fresh tenant whose website source sent `events` (name and richness), a Meta
 * destination with `policy`, and one worker pass. Answers each event's delivery.
 */
async function gateRun(events: Array<[string, Richness]>, policy: object = {}) {
  const sides = await twoSides(app.t)
  const meta = await createDestination(app.t, sides, { type: 'meta_capi', config: { pixel_id: '1', access_token: 'EAAB', api_base_url: app.graph.url }, policy })
  const sent = events.map(([name, richness]) => webEvent(name, richness))
  const answer = await sendFromPage(app.t, sides, sent)
  await testWorker(app.t).runOnce()
  const rows = await deliveriesOf(app.t, sides.tenant)
  const outcome = sent.map((e, i) => ({ name: e.event_name, emq: answer.events[i].emq, ...pick(rows.get(e.event_id)!) }))
  return { sides, meta, sent, outcome }
}
const pick = (r: { status: string; level: string | null; reason: string | null }) => ({ status: r.status, level: r.level, reason: r.reason })

describe('each automation level', () => {
  test('Full (Excellent): every event goes, even one of low EMQ', async () => {
    const { outcome } = await gateRun([['PageView', 'rich'], ['PageView', 'rich'], ['PageView', 'rich'], ['PageView', 'rich'], ['PageView', 'anonymous']])
    expect(outcome.at(-1)!.emq).toBeLessThan(40)
    expect(outcome.map((o) => [o.status, o.level])).toEqual(Array(5).fill(['delivered', 'full']))
  })
  test('Partial (Good): events of EMQ ≥ 60 go, the others are held', async () => {
    const { outcome } = await gateRun([['PageView', 'email'], ['PageView', 'email'], ['PageView', 'email'], ['PageView', 'fbp']])
    expect(outcome.map(pick)).toEqual([
      ...Array(3).fill({ status: 'delivered', level: 'partial', reason: null }),
      { status: 'held', level: 'partial', reason: 'emq_below_60' },
    ])
  })
  test('Limited (Fair): only conversions with a usable match key go', async () => {
    const { outcome } = await gateRun([['Purchase', 'fbp'], ['PageView', 'fbp'], ['Purchase', 'anonymous']])
    expect(outcome.map(pick)).toEqual([
      { status: 'delivered', level: 'limited', reason: null },
      { status: 'held', level: 'limited', reason: 'not_a_conversion' },
      { status: 'held', level: 'limited', reason: 'no_match_key' },
    ])
  })
  test('Manual (Poor): everything is held', async () => {
    const { outcome } = await gateRun([['Purchase', 'anonymous'], ['PageView', 'anonymous']])
    expect(outcome.map(pick)).toEqual(Array(2).fill({ status: 'held', level: 'manual', reason: 'manual' }))
  })
  test("events sent with a JWT are gated by the tenant's own server signal", async () => {
    const { sides } = await gateRun([['PageView', 'rich']])
    const backend = webEvent('Purchase', 'anonymous')
    await sides.fromServer(EVENTS, { events: [backend] })
    await testWorker(app.t).runOnce()
    expect(pick((await deliveriesOf(app.t, sides.tenant)).get(backend.event_id)!)).toEqual({ status: 'held', level: 'manual', reason: 'manual' })
  })
})

describe('policy', () => {
  test('a minimum event EMQ holds what the band would send', async () => {
    const { outcome } = await gateRun([['PageView', 'rich'], ['PageView', 'rich'], ['PageView', 'rich'], ['PageView', 'rich'], ['PageView', 'anonymous']], { min_event_emq: 90 })
    expect(outcome.at(-1)).toMatchObject({ status: 'held', level: 'full', reason: 'below_min_event_emq' })
    expect(outcome[0]!.status).toBe('delivered')
  })
  test('a minimum level holds everything below it', async () => {
    const { outcome } = await gateRun([['PageView', 'email']], { min_level: 'full' })
    expect(outcome.map(pick)).toEqual([{ status: 'held', level: 'manual', reason: 'manual' }])
  })
  test('an override sends what the table would hold, and each delivery says so', async () => {
    const { outcome } = await gateRun([['Purchase', 'anonymous']], { override: true, level: 'full' })
    expect(outcome.map(pick)).toEqual([{ status: 'delivered', level: 'override', reason: null }])
  })
})

describe('held events', () => {
  test('are listed, released past the gate or discarded, by id or by filter', async () => {
    const { sides, meta, sent } = await gateRun([['Purchase', 'anonymous'], ['PageView', 'anonymous'], ['PageView', 'anonymous']])
    const held = `${DESTINATIONS}/${meta.id}/held`
    const first = await app.t.call('GET', `${held}?limit=2`, { token: sides.token })
    expect(first.body.events).toHaveLength(2)
    const second = await app.t.call('GET', `${held}?limit=2&cursor=${first.body.next_cursor}`, { token: sides.token })
    expect(second.body).toMatchObject({ next_cursor: null, events: [expect.objectContaining({ status: 'held', reason: 'manual' })] })
    const release = await app.t.call('POST', `${held}/release`, { token: sides.token, body: { event_ids: [sent[0]!.event_id] } })
    expect(release.body).toEqual({ moved: 1 })
    const discard = await app.t.call('POST', `${held}/discard`, { token: sides.token, body: { filter: { event_names: ['PageView'] } } })
    expect(discard.body).toEqual({ moved: 2 })
    await testWorker(app.t).runOnce()
    const rows = await deliveriesOf(app.t, sides.tenant)
    expect(pick(rows.get(sent[0]!.event_id)!)).toEqual({ status: 'delivered', level: 'released', reason: null })
    expect(rows.get(sent[1]!.event_id)!.status).toBe('discarded')
    expect(app.graph.accepted.map((e) => e.event_id)).toContain(sent[0]!.event_id)
    expect(app.graph.accepted.map((e) => e.event_id)).not.toContain(sent[1]!.event_id)
    const dead = await app.t.call('GET', `${DESTINATIONS}/${meta.id}/deliveries?status=discarded`, { token: sides.token })
    expect(dead.body.deliveries.map((d: { event_id: string }) => d.event_id).sort()).toEqual([sent[1]!.event_id, sent[2]!.event_id].sort())
  })
  test('expire after the configured time', async () => {
    const { sides, sent } = await gateRun([['PageView', 'anonymous']])
    await testWorker(app.t, { heldExpiryHours: 2 }, { now: () => new Date(Date.now() + 3 * 3_600_000) }).runOnce()
    expect(pick((await deliveriesOf(app.t, sides.tenant)).get(sent[0]!.event_id)!)).toEqual({ status: 'expired', level: 'manual', reason: 'held longer than 2 h' })
  })
  test("a destination of another tenant is not found", async () => {
    const other = await twoSides(app.t)
    const { meta } = await gateRun([['PageView', 'anonymous']])
    const res = await app.t.call('GET', `${DESTINATIONS}/${meta.id}/held`, { token: other.token })
    expect([res.status, res.body.error.code]).toEqual([404, 'destination_not_found'])
  })
})
