import { afterAll, beforeAll, expect, test } from 'vitest'
import { createTestApp, type TestApp } from '../testing/test-app'
import { twoSides } from '../testing/test-source'
import { createDestination, deliveriesOf, EMAIL_HASH, makeDue, sendFromPage, testWorker, webEvent } from '../testing/trust-engine'
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

async function hookTenant() {
  const sides = await twoSides(t)
  const created = await createDestination(t, sides, { type: 'webhook', config: { url: 'http://127.0.0.1:1/unused' } })
  const hook = await startWebhookReceiver(created.config.secret!)
  await t.call('PATCH', `/api/v1/cdp/destinations/${created.id}`, { token: sides.token, body: { config: { url: hook.url } } })
  return { sides, hook }
}

let receivers: WebhookReceiver[] = []
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()))
  receivers = []
})

test('messages carry Standard Webhooks signatures that the reference library verifies, and only hashes', async () => {
  const { sides, hook } = await hookTenant()
  receivers.push(hook)
  const events = [webEvent('Purchase', 'rich'), webEvent('PageView', 'rich')]
  await sendFromPage(t, sides, events)
  await testWorker(t).runOnce()
  expect(hook.refused).toBe(0)
  expect(hook.verified.map((m) => m.id).sort()).toEqual(events.map((e) => e.event_id).sort())
  const purchase = hook.verified.find((m) => m.id === events[0]!.event_id)!.body
  expect(purchase).toMatchObject({
    type: 'event.delivered',
    data: {
      event_id: events[0]!.event_id,
      event_name: 'Purchase',
      profile_id: expect.any(String),
      source_id: expect.any(String),
      properties: { value: 129.5, currency: 'eur' },
      identifiers: expect.arrayContaining([{ type: 'email', value: EMAIL_HASH, status: 'valid' }]),
    },
  })
  expect(JSON.stringify(hook.verified)).not.toMatch(/Mary|16505551212/)
  for (const e of events) expect((await deliveriesOf(t, sides.tenant)).get(e.event_id)!.status).toBe('delivered')
})

test('a 5xx retries with the same webhook-id; a 4xx is a dead letter with the answer', async () => {
  const { sides, hook } = await hookTenant()
  receivers.push(hook)
  const event = webEvent('Purchase', 'rich')
  await sendFromPage(t, sides, [event])
  const worker = testWorker(t)
  hook.answerNext({ status: 503, headers: { 'retry-after': '1' } })
  await worker.runOnce()
  expect((await deliveriesOf(t, sides.tenant)).get(event.event_id)).toMatchObject({ status: 'pending', attempts: 1, reason: 'HTTP 503: ' })
  await makeDue(t, sides.tenant)
  await worker.runOnce()
  expect(hook.verified.map((m) => m.id)).toEqual([event.event_id, event.event_id])
  expect((await deliveriesOf(t, sides.tenant)).get(event.event_id)).toMatchObject({ status: 'delivered', attempts: 2 })

  const gone = webEvent('Purchase', 'rich')
  await sendFromPage(t, sides, [gone])
  hook.answerNext({ status: 410 })
  await worker.runOnce()
  expect((await deliveriesOf(t, sides.tenant)).get(gone.event_id)).toMatchObject({ status: 'dead', reason: 'HTTP 410: ' })
})

test('no request starts once the claim lease is ending: the rest waits for the next claim, unattempted, and nothing is sent twice', async () => {
  const { sides, hook } = await hookTenant()
  receivers.push(hook)
  hook.delayMs = 500
  const events = Array.from({ length: 50 }, () => webEvent('PageView', 'rich'))
  await sendFromPage(t, sides, events)
  // Requests may start up to 2 s after the claim; 50 events, 8 at a time, 500 ms each need 3.5 s.
  const worker = testWorker(t, { timeoutMs: 1000 })
  await worker.runOnce()
  const waiting = [...(await deliveriesOf(t, sides.tenant)).values()].filter((r) => r.status === 'pending')
  expect(waiting.length).toBeGreaterThan(0)
  for (const row of waiting) expect(row).toMatchObject({ attempts: 0, reason: "not sent: the claim's lease was ending" })
  await worker.runOnce()
  const ids = hook.verified.map((m) => m.id)
  expect(new Set(ids).size).toBe(events.length)
  expect(ids).toHaveLength(events.length)
})
