import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { mintToken } from '../auth/mint-token'
import { SCOPES } from '../auth/scopes'
import { type EventStream, readEventStream } from '../testing/event-stream'
import { TEST_SECRET } from '../testing/test-app'
import { startTestServer, type TestServer } from '../testing/test-server'

/**
 * The stream over a real Node HTTP server: a client that goes away ends its
 * subscription, and shutdown ends open streams instead of waiting for them
 * (collector/docs/live-events.md, "Limits").
 */
const API = '/api/v1/cdp'
const tenant = randomUUID()
let collector: TestServer
let token: string

beforeAll(async () => {
  // A drain that waited for the streams would outlast the test's timeout.
  collector = await startTestServer({ STRATUM_SHUTDOWN_TIMEOUT_MS: '600000', STRATUM_DELIVERY: 'off' })
  token = await mintToken({ secret: TEST_SECRET, tenantId: tenant, scopes: SCOPES })
})
afterAll(() => collector.close())

async function open(signal?: AbortSignal): Promise<EventStream> {
  const res = await fetch(`${collector.server.url}${API}/events/stream`, { headers: { authorization: `Bearer ${token}` }, signal })
  expect(res.status).toBe(200)
  const stream = readEventStream(res)
  await stream.waitFor((m) => m.event === 'ready')
  return stream
}

test('a client that disconnects leaves the feed; shutdown ends the streams still open', async () => {
  const aborting = new AbortController()
  const leaving = await open(aborting.signal)
  const staying = await open()
  const event_id = randomUUID()
  const res = await fetch(`${collector.server.url}${API}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events: [{ event_id, event_name: 'PageView', event_time: new Date().toISOString() }] }),
  })
  expect(res.status).toBe(200)
  await leaving.waitFor((m) => m.data.event_id === event_id)
  await staying.waitFor((m) => m.data.event_id === event_id)
  expect(collector.server.eventFeed.subscribers(tenant)).toBe(2)

  aborting.abort()
  await expect.poll(() => collector.server.eventFeed.subscribers(tenant), { timeout: 10_000 }).toBe(1)

  await collector.server.close()
  await staying.ended
  expect(collector.server.eventFeed.subscribers(tenant)).toBe(0)
}, 30_000)
