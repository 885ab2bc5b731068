import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { RunningServer } from './server'
import { createSource } from './sources/create-source'
import { provisionTenant } from './tenants/provision-tenant'
import { startTestServer, type TestServer } from './testing/test-server'

const ORIGIN = 'https://shop.example'
const started: TestServer[] = []

/** A server on a free port over a fresh data folder (PGlite on disk), or on `DATABASE_URL` when set. */
async function start(env: Record<string, string> = {}) {
  const running = await startTestServer(env)
  started.push(running)
  return { server: running.server, config: running.config }
}
afterAll(async () => {
  // close() is idempotent: a test may have closed its server already.
  for (const running of started) await running.close()
})

const event = () => ({ event_id: randomUUID(), event_name: 'PageView', event_time: new Date().toISOString() })

describe('a running server', () => {
  let server: RunningServer
  let sourceKey: string
  const tenant = randomUUID()

  beforeAll(async () => {
    ;({ server } = await start())
    await provisionTenant(server.database.db, tenant)
    sourceKey = (await createSource(server.database.db, tenant, { name: 'Shop', sourceType: 'website', allowedOrigins: [ORIGIN] }))
      .key
  })

  test('listens on a free port and answers the probes', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.url).not.toMatch(/:0$/)
    expect((await fetch(`${server.url}/livez`)).status).toBe(200)
    const ready = await fetch(`${server.url}/readyz`)
    expect(ready.status).toBe(200)
    expect((await ready.json()).status).toBe('ready')
  })

  test('POST /events with a source key over real HTTP: stored with the connection IP', async () => {
    const e = event()
    const res = await fetch(`${server.url}/api/v1/cdp/events`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-source-key': sourceKey, origin: ORIGIN, 'user-agent': 'Mozilla/5.0 test' },
      body: JSON.stringify({ events: [e] }),
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect((await res.json()).accepted).toBe(1)
    const row = await server.database.db
      .selectFrom('events')
      .select(['client_ip', 'user_agent'])
      .where('tenant_id', '=', tenant)
      .where('event_id', '=', e.event_id)
      .executeTakeFirstOrThrow()
    expect(row.client_ip).toBe('127.0.0.1')
    expect(row.user_agent).toBe('Mozilla/5.0 test')
  })

  test('an over-limit body over real HTTP → 413 in the error shape', async () => {
    const res = await fetch(`${server.url}/api/v1/cdp/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-source-key': sourceKey, origin: ORIGIN },
      body: JSON.stringify({ events: [{ ...event(), properties: { pad: 'x'.repeat(600 * 1024) } }] }),
    })
    expect(res.status).toBe(413)
    expect((await res.json()).error.code).toEqual(expect.any(String))
  })

  test('a second server on the same port fails to start instead of hanging', async () => {
    const port = new URL(server.url).port
    await expect(start({ PORT: port })).rejects.toThrow(/EADDRINUSE|in use/i)
  })
})

describe('graceful shutdown', () => {
  test('close() lets an in-flight request finish with 200, then refuses new connections', async () => {
    const { server } = await start()
    const tenant = randomUUID()
    await provisionTenant(server.database.db, tenant)
    const { key: source_key } = await createSource(server.database.db, tenant, { name: 'Shop', sourceType: 'website', allowedOrigins: [] })

    // A request whose body is still arriving when shutdown begins.
    const body = new TextEncoder().encode(JSON.stringify({ events: [event(), event()] }))
    let push!: ReadableStreamDefaultController<Uint8Array>
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        push = controller
      },
    })
    const inFlight = fetch(`${server.url}/api/v1/cdp/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-source-key': source_key },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    push.enqueue(body.subarray(0, 20))
    await new Promise((resolve) => setTimeout(resolve, 300))

    const started = Date.now()
    const closed = server.close()
    await new Promise((resolve) => setTimeout(resolve, 100))
    push.enqueue(body.subarray(20))
    push.close()

    const res = await inFlight
    expect(res.status).toBe(200)
    expect((await res.json()).accepted).toBe(2)
    await closed
    // Drained promptly: not held open by the idle keep-alive connection.
    expect(Date.now() - started).toBeLessThan(3_000)
    await expect(fetch(`${server.url}/livez`)).rejects.toThrow()
    expect(server.close()).toBe(closed)
  })
})
