import { randomBytes } from 'node:crypto'
import { sha256Hex } from '@stratum/pixel/identity'
import { expect, test } from 'vitest'
import { createSecretBox } from './secret-box'
import { twoSides } from '../testing/test-source'
import { CHROME_UA, createDestination, deliveriesOf, EMAIL_HASH, makeDue, sendFromPage, testWorker, webEvent, useTrustApp } from '../testing/trust-engine'

const app = useTrustApp()

/** A tenant whose website source is Excellent, with a Meta destination pointing at the fake Graph API. */
async function excellentTenant(config: Record<string, string> = {}) {
  const sides = await twoSides(app.t)
  const meta = await createDestination(app.t, sides, {
    type: 'meta_capi',
    config: { pixel_id: '1234567890', access_token: 'EAAB-token', api_base_url: app.graph.url, test_event_code: 'TEST42', ...config },
  })
  return { sides, meta }
}

test('delivers events exactly as the Conversions API documents them, with only stored hashes', async () => {
  const { sides } = await excellentTenant()
  const purchase = webEvent('Purchase', 'rich')
  await sendFromPage(app.t, sides, [webEvent('PageView', 'rich'), purchase])
  const before = app.graph.requests.length
  await testWorker(app.t).runOnce()
  const [request] = app.graph.requests.slice(before)
  expect(request!.path).toBe('/v25.0/1234567890/events')
  expect(request!.body).toMatchObject({ access_token: 'EAAB-token', test_event_code: 'TEST42' })
  const sent = request!.body.data.find((e: { event_id: string }) => e.event_id === purchase.event_id)
  const hashed = (v: string) => [sha256Hex(v)]
  expect(sent).toEqual({
    event_name: 'Purchase',
    event_time: Math.floor(Date.parse(purchase.event_time) / 1000),
    event_id: purchase.event_id,
    action_source: 'website',
    event_source_url: 'https://shop.example/checkout',
    user_data: {
      em: [EMAIL_HASH],
      ph: hashed('16505551212'),
      external_id: hashed('cust-42'),
      fn: hashed('mary'),
      ln: hashed('smith'),
      ct: hashed('menlopark'),
      st: hashed('ca'),
      zp: hashed('94025'),
      country: hashed('us'),
      db: hashed('19900101'),
      ge: hashed('f'),
      client_user_agent: CHROME_UA,
      fbc: 'fb.1.1700000000000.AbCdEf',
      fbp: 'fb.1.1700000000000.123456',
    },
    custom_data: {
      value: 129.5,
      currency: 'EUR',
      content_ids: ['sofa-1'],
      contents: [{ id: 'sofa-1', quantity: 1, item_price: 129.5 }],
      num_items: 1,
      order_id: `o-${purchase.event_id}`,
    },
  })
  expect(JSON.stringify(request!.body)).not.toMatch(/Mary|Smith|Menlo|16505551212|cust-42/)
  const rows = await deliveriesOf(app.t, sides.tenant)
  expect(rows.get(purchase.event_id)).toMatchObject({ status: 'delivered', level: 'full', attempts: 1, reason: null })
})

test('429 and 500 retry with backoff, honouring Retry-After; the platform acknowledges each event once', async () => {
  const { sides } = await excellentTenant()
  const event = webEvent('Purchase', 'rich')
  await sendFromPage(app.t, sides, [event])
  const worker = testWorker(app.t)
  app.graph.answerNext({ status: 429, headers: { 'retry-after': '120' }, body: { error: { message: 'Too many calls', code: 4, is_transient: true } } })
  const sentAt = Date.now()
  await worker.runOnce()
  let row = (await deliveriesOf(app.t, sides.tenant)).get(event.event_id)!
  expect(row).toMatchObject({ status: 'pending', attempts: 1, reason: expect.stringContaining('HTTP 429') })
  expect(row.next_attempt_at.getTime() - sentAt).toBeGreaterThanOrEqual(119_000)
  await worker.runOnce()
  expect((await deliveriesOf(app.t, sides.tenant)).get(event.event_id)!.attempts).toBe(1)
  await makeDue(app.t, sides.tenant)
  app.graph.answerNext({ status: 500, body: { error: { message: 'An unknown error occurred', code: 1 } } })
  await worker.runOnce()
  row = (await deliveriesOf(app.t, sides.tenant)).get(event.event_id)!
  expect(row).toMatchObject({ status: 'pending', attempts: 2 })
  await makeDue(app.t, sides.tenant)
  await worker.runOnce()
  await makeDue(app.t, sides.tenant)
  await worker.runOnce()
  expect((await deliveriesOf(app.t, sides.tenant)).get(event.event_id)).toMatchObject({ status: 'delivered', attempts: 3 })
  expect(app.graph.accepted.filter((e) => e.event_id === event.event_id)).toHaveLength(1)
})

test('a bad event is a dead letter with the platform message; its batch neighbours are delivered', async () => {
  const { sides } = await excellentTenant()
  const events = Array.from({ length: 7 }, () => webEvent('Purchase', 'rich'))
  await sendFromPage(app.t, sides, events)
  app.graph.badEventIds.add(events[4]!.event_id)
  await testWorker(app.t).runOnce()
  const rows = await deliveriesOf(app.t, sides.tenant)
  expect(rows.get(events[4]!.event_id)).toMatchObject({ status: 'dead', reason: expect.stringMatching(/^HTTP 400: Invalid event: event .* has invalid data$/) })
  for (const e of events.filter((_, i) => i !== 4)) expect(rows.get(e.event_id)!.status).toBe('delivered')
})

test('an event Meta would refuse is dead-lettered unsent; failures past the limit give up; the circuit opens', async () => {
  const { sides, meta } = await excellentTenant()
  const old = webEvent('Purchase', 'rich', { event_time: new Date(Date.now() - 8 * 86_400_000).toISOString() })
  const fresh = webEvent('Purchase', 'rich')
  await sendFromPage(app.t, sides, [old, fresh])
  const worker = testWorker(app.t, { maxAttempts: 5 })
  for (let i = 0; i < 5; i++) {
    app.graph.answerNext({ status: 503 })
    await makeDue(app.t, sides.tenant)
    await app.t.database.db.updateTable('destinations').set({ circuit_open_until: null }).where('id', '=', meta.id).execute()
    await worker.runOnce()
  }
  const rows = await deliveriesOf(app.t, sides.tenant)
  expect(rows.get(old.event_id)).toMatchObject({ status: 'dead', attempts: 1, reason: 'event_time is more than 7 days old: Meta refuses it' })
  expect(rows.get(fresh.event_id)).toMatchObject({ status: 'dead', attempts: 5, reason: 'gave up after 5 attempts: HTTP 503: {}' })
  const destination = await app.t.database.db.selectFrom('destinations').selectAll().where('id', '=', meta.id).executeTakeFirstOrThrow()
  expect(destination.failures).toBe(5)
  expect(destination.circuit_open_until!.getTime()).toBeGreaterThan(Date.now() + 20_000)
})

test('a secret no configured key opens fails its deliveries with the reason, like a failed request', async () => {
  const { sides } = await excellentTenant()
  const event = webEvent('Purchase', 'rich')
  await sendFromPage(app.t, sides, [event])
  const otherKey = createSecretBox({ ...app.t.config, delivery: { ...app.t.config.delivery, encryptionKeys: [{ id: 'k9', key: randomBytes(32) }] } })
  await testWorker(app.t, {}, { secretBox: otherKey }).runOnce()
  expect((await deliveriesOf(app.t, sides.tenant)).get(event.event_id)).toMatchObject({
    status: 'pending',
    attempts: 1,
    reason: 'No configured key opens this secret (key "dev")',
  })
})
