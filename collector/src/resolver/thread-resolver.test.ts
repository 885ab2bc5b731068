import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type LogFields, loggerFrom } from '../log'
import { createSource } from '../sources/create-source'
import { provisionTenant } from '../tenants/provision-tenant'
import { createTestApp, type TestApp } from '../testing/test-app'
import { startTestServer } from '../testing/test-server'
import { createThreadResolver } from './thread-resolver'

/**
 * The resolver thread of a collector on PostgreSQL, started from the sources
 * as in development (`two-collectors.test.ts` runs the built one, in the
 * process `stratum start` runs): what the main thread appends, the thread
 * resolves, and a thread that cannot run costs no caller a hang.
 */
const url = process.env.DATABASE_URL
const EVENTS = '/api/v1/cdp/events'
let t: TestApp

beforeAll(async () => {
  if (!url) return
  t = await createTestApp()
  // The app's own resolver stops, so that only the thread resolves what the app appends.
  await t.resolver.close()
})
afterAll(() => t?.close())

function recordingLog() {
  const lines: Array<{ level: string; msg: string; fields?: LogFields }> = []
  return { lines, log: loggerFrom((level, msg, fields) => void lines.push({ level, msg, fields })) }
}

describe.skipIf(!url)('the resolver thread', () => {
  test('resolves what the main thread appended: every event gets its profile, and drain settles after', async () => {
    const tenant = randomUUID()
    const token = await t.token(tenant)
    const anon = `anon_${randomUUID()}`
    const events = [0, 1, 2].map(() => ({ event_id: randomUUID(), event_name: 'PageView', event_time: new Date().toISOString(), identifiers: [{ type: 'anonymous_id', value: anon }] }))
    const res = await t.call('POST', EVENTS, { token, body: { events }, headers: { prefer: 'respond-async' } })
    expect(res.body).toMatchObject({ accepted: 3 })
    const profiles = () =>
      sql<{ profile_id: string | null }>`SELECT profile_id FROM event_keys WHERE tenant_id = ${tenant}`.execute(t.database.db)
    expect((await profiles()).rows.map((r) => r.profile_id)).toEqual([null, null, null])

    const { lines, log } = recordingLog()
    const resolver = createThreadResolver({ databaseUrl: url!, pool: 2, batchSize: 2, sweepMs: 0, log })
    try {
      resolver.wake(tenant)
      await resolver.drain(tenant)
      const ids = (await profiles()).rows.map((r) => r.profile_id)
      expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/)
      expect(new Set(ids)).toEqual(new Set([ids[0]]))
      // The backlog is gone, so the lag the thread measured lets a caller through at once.
      await resolver.catchUp(tenant, 0, 10_000)
    } finally {
      await resolver.close()
    }
    expect(lines.filter((l) => l.level !== 'info')).toEqual([])
  })

  test('a thread that cannot start: calls settle, the failure is logged, and it is started again later and later', async () => {
    const { lines, log } = recordingLog()
    // postgres.js refuses this URL as the thread opens its pool: the thread ends with an error.
    const resolver = createThreadResolver({ databaseUrl: 'not a url', pool: 1, batchSize: 10, sweepMs: 0, log })
    try {
      await resolver.drain(randomUUID())
      await expect.poll(() => lines.filter((l) => l.msg === 'resolver_thread_ended').length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2)
      expect(lines.find((l) => l.msg === 'resolver_thread_failed')?.fields?.error).toMatch(/Invalid URL/)
      const delays = lines.filter((l) => l.msg === 'resolver_thread_ended').map((l) => l.fields?.restart_in_ms)
      expect(delays.slice(0, 2)).toEqual([200, 400])
    } finally {
      await resolver.close()
    }
    // Closed: no thread is started again.
    const ended = lines.length
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect(lines.length).toBe(ended)
  })
})

describe.skipIf(!url)('a collector on PostgreSQL', () => {
  /** This process's collector connections by pool, as an operator sees them in `pg_stat_activity`. */
  const pools = async () => {
    const { rows } = await sql<{ name: string }>`
      SELECT application_name AS name FROM pg_stat_activity WHERE application_name LIKE ${`stratum-% ${process.pid}`}
    `.execute(t.database.db)
    return new Set(rows.map((r) => r.name.split(' ')[0]))
  }

  /** Starts a collector, sends one event through a source key and waits for its profile. */
  async function resolveOne(env: Record<string, string>) {
    const running = await startTestServer(env)
    const { db } = running.server.database
    const tenant = randomUUID()
    await provisionTenant(db, tenant)
    const { key } = await createSource(db, tenant, { name: 'Shop', sourceType: 'server', allowedOrigins: [] })
    const event = { event_id: randomUUID(), event_name: 'PageView', event_time: new Date().toISOString() }
    const res = await fetch(`${running.server.url}/api/v1/cdp/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-source-key': key, prefer: 'wait=resolved' },
      body: JSON.stringify({ events: [{ ...event, identifiers: [{ type: 'anonymous_id', value: `anon_${randomUUID()}` }] }] }),
    })
    const body = (await res.json()) as { events: Array<{ profile_id: string | null }> }
    expect(body.events[0]!.profile_id).toMatch(/^[0-9a-f-]{36}$/)
    return running
  }

  test('resolves in its thread, on a pool of its own that closes with the collector', async () => {
    const running = await resolveOne({})
    expect(await pools()).toEqual(new Set(['stratum-collector', 'stratum-resolver']))
    await running.close()
    await expect.poll(pools).toEqual(new Set())
  })

  test('with STRATUM_RESOLVER_THREAD=off, resolves on the requests\' pool', async () => {
    const running = await resolveOne({ STRATUM_RESOLVER_THREAD: 'off' })
    try {
      expect(await pools()).toEqual(new Set(['stratum-collector']))
    } finally {
      await running.close()
    }
  })
})

