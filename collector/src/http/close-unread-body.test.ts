import { randomUUID } from 'node:crypto'
import { Agent } from 'node:http'
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest'
import { createSource } from '../sources/create-source'
import { provisionTenant } from '../tenants/provision-tenant'
import { send } from '../testing/raw-http'
import { startTestServer, type TestServer } from '../testing/test-server'

let running: TestServer
let events: string
let sourceKey: string
beforeAll(async () => {
  running = await startTestServer()
  events = `${running.server.url}/api/v1/cdp/events`
  const tenant = randomUUID()
  await provisionTenant(running.server.database.db, tenant)
  sourceKey = (await createSource(running.server.database.db, tenant, { name: 'Shop', sourceType: 'website', allowedOrigins: [] })).key
})
afterAll(() => running.close())

/** One socket at most: a second request reuses the first one's connection unless it was closed. */
let agent: Agent
beforeEach(() => {
  agent = new Agent({ keepAlive: true, maxSockets: 1 })
})
afterEach(() => agent.destroy())

const batch = (pad = 0) =>
  JSON.stringify({ events: [{ event_id: randomUUID(), event_name: 'PageView', event_time: new Date().toISOString(), properties: { pad: 'x'.repeat(pad) } }] })

/** The refused request's connection is closed, and the next request on the same agent is answered. */
async function expectClosedThenNextAnswered(refused: Awaited<ReturnType<typeof send>>, status: number) {
  expect(refused.status).toBe(status)
  expect(JSON.parse(refused.body).error.code).toEqual(expect.any(String))
  expect(refused.headers.connection).toBe('close')
  const next = await send(agent, `${running.server.url}/livez`)
  expect(next.status).toBe(200)
}

test('a 413 for a declared length over the limit, sent before the body is read, closes the connection', async () => {
  const body = batch(600 * 1024)
  const refused = await send(agent, events, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-source-key': sourceKey, 'content-length': String(Buffer.byteLength(body)) },
    body,
  })
  await expectClosedThenNextAnswered(refused, 413)
})

test('a 413 found while reading a chunked body closes the connection', async () => {
  const refused = await send(agent, events, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-source-key': sourceKey, 'transfer-encoding': 'chunked' },
    body: batch(600 * 1024),
  })
  await expectClosedThenNextAnswered(refused, 413)
})

test('a 401 on a POST whose body was never read closes the connection', async () => {
  const refused = await send(agent, events, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-source-key': 'sk_forged' },
    body: batch(200 * 1024),
  })
  await expectClosedThenNextAnswered(refused, 401)
})

test('a POST whose body was read keeps the connection for the next request', async () => {
  const stored = await send(agent, events, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-source-key': sourceKey },
    body: batch(),
  })
  expect(stored.status).toBe(200)
  expect(stored.headers.connection).toBe('keep-alive')
  const next = await send(agent, `${running.server.url}/livez`)
  expect(next.status).toBe(200)
  expect(next.socket).toBe(stored.socket)
})
