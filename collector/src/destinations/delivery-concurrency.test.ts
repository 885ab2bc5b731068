import { afterAll, beforeAll, expect, test } from 'vitest'
import { createDatabase, type StratumDatabase } from '../db/create-database'
import { type FakeGraphApi, startFakeGraphApi } from '../testing/fake-graph-api'
import { createTestApp, type TestApp } from '../testing/test-app'
import { twoSides } from '../testing/test-source'
import { createDestination, deliveriesOf, sendFromPage, testWorker, webEvent } from '../testing/trust-engine'
import { startWebhookReceiver } from '../testing/webhook-receiver'

let t: TestApp
let graph: FakeGraphApi
/** On PostgreSQL, the second collector has its own connection pool, as another process would. */
let second: StratumDatabase | undefined
beforeAll(async () => {
  t = await createTestApp()
  graph = await startFakeGraphApi()
  if (process.env.DATABASE_URL) second = await createDatabase({ databaseUrl: process.env.DATABASE_URL, maxConnections: 4 })
})
afterAll(async () => {
  await second?.close()
  await graph.close()
  await t.close()
})

/** A fetch that counts the requests of one worker. */
const counting = () => {
  const counter = { requests: 0, fetch: ((input: RequestInfo | URL, init?: RequestInit) => {
    counter.requests++
    return fetch(input, init)
  }) as typeof fetch }
  return counter
}

test('two collectors share one outbox: every event is sent exactly once, by either', async () => {
  const sides = await twoSides(t)
  const created = await createDestination(t, sides, { type: 'webhook', config: { url: 'http://127.0.0.1:1/' }, policy: { override: true, level: 'full' } })
  const hook = await startWebhookReceiver(created.config.secret!)
  try {
    await t.call('PATCH', `/api/v1/cdp/destinations/${created.id}`, { token: sides.token, body: { config: { url: hook.url } } })
    hook.delayMs = 5
    const events = Array.from({ length: 300 }, () => webEvent('PageView', 'anonymous'))
    await sendFromPage(t, sides, events)
    const [a, b] = [counting(), counting()]
    const workers = [testWorker(t, {}, { fetch: a.fetch }), testWorker(t, {}, { fetch: b.fetch, db: second?.db ?? t.database.db })]
    for (let pass = 0; pass < 20 && hook.verified.length < events.length; pass++) await Promise.all(workers.map((w) => w.runOnce()))
    const ids = hook.verified.map((m) => m.id)
    expect(ids).toHaveLength(events.length)
    expect(new Set(ids).size).toBe(events.length)
    expect(a.requests).toBeGreaterThan(0)
    expect(b.requests).toBeGreaterThan(0)
    expect([...(await deliveriesOf(t, sides.tenant)).values()].every((r) => r.status === 'delivered')).toBe(true)
  } finally {
    await hook.close()
  }
})

test('a 500-event batch to a slow destination does not slow ingest', async () => {
  const sides = await twoSides(t)
  await createDestination(t, sides, { type: 'meta_capi', config: { pixel_id: '1', access_token: 'EAAB', api_base_url: graph.url }, policy: { override: true, level: 'full' } })
  const held = graph.hold()
  const worker = testWorker(t, { pollMs: 20, timeoutMs: 30_000 }, { poll: true })
  try {
    const before = graph.requests.length
    const first = Array.from({ length: 500 }, () => webEvent('Purchase', 'rich'))
    await sendFromPage(t, sides, first)
    while (graph.requests.length === before) await new Promise((r) => setTimeout(r, 20))
    // The destination now holds the worker's request open: ingest must not wait for it.
    const second = Array.from({ length: 500 }, () => webEvent('Purchase', 'rich'))
    const answer = await sendFromPage(t, sides, second)
    expect(answer.accepted).toBe(500)
    // Answered while the first send still hangs, unanswered.
    expect(graph.requests.length).toBe(before + 1)
    expect(graph.accepted.some((e) => e.event_id === first[0]!.event_id)).toBe(false)
    held.release()
    // Wait on what is asserted, the outbox rows: the sink can hold an event a moment before its row reads `delivered`.
    const delivered = async () => [...(await deliveriesOf(t, sides.tenant)).values()].filter((r) => r.status === 'delivered').length
    for (let i = 0; i < 600 && (await delivered()) < 1000; i++) await new Promise((r) => setTimeout(r, 50))
    const rows = await deliveriesOf(t, sides.tenant)
    expect([...rows.values()].filter((r) => r.status === 'delivered')).toHaveLength(1000)
  } finally {
    held.release()
    await worker.stop()
  }
})
