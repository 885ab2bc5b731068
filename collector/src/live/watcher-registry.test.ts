import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { type EventStream, readEventStream } from '../testing/event-stream'
import { createTestApp, newTenant, type TestApp } from '../testing/test-app'
import { feedChannel } from './pg-notify'
import { createWatcherRegistry } from './watcher-registry'

/**
 * The registry of watching collectors (collector/docs/live-events.md,
 * "Cost"), on a real PostgreSQL with two collectors: a batch nobody watches
 * sends no NOTIFY, and a batch after a subscription on another collector
 * always does.
 */
const url = process.env.DATABASE_URL
const API = '/api/v1/cdp'
let one: TestApp
let two: TestApp

const lead = () => ({ event_id: randomUUID(), event_name: 'Lead', event_time: new Date().toISOString(), identifiers: [{ type: 'phone', value: '+4915112345678' }] })

/** Every payload on the tenant's channel up to a marker this test sends after `act`: NOTIFYs arrive in commit order. */
async function notificationsDuring(tenant: string, act: () => Promise<void>): Promise<string[]> {
  const payloads: string[] = []
  const marker = `marker-${randomUUID()}`
  let seen: () => void = () => {}
  const done = new Promise<void>((resolve) => {
    seen = resolve
  })
  const { unlisten } = await one.database.listen!(feedChannel(tenant), (payload) => {
    if (payload === marker) seen()
    else payloads.push(payload)
  })
  try {
    await act()
    await sql`SELECT pg_notify(${feedChannel(tenant)}, ${marker})`.execute(one.database.db)
    await done
    return payloads
  } finally {
    await unlisten()
  }
}

const send = async (app: TestApp, tenant: string, events: unknown[]) => {
  const res = await app.call('POST', `${API}/events`, { token: await app.token(tenant), body: { events }, headers: { prefer: 'return=minimal' } })
  expect(res.body.accepted).toBe(events.length)
}

describe.skipIf(!url)('the registry of watching collectors', () => {
  beforeAll(async () => {
    one = await createTestApp()
    two = await createTestApp()
  })
  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()])
  })

  test('a batch of a tenant nobody watches sends no NOTIFY', async () => {
    const tenant = newTenant()
    await vi.waitFor(() => expect(two.eventFeed.watched(tenant)).toBe(false))
    expect(await notificationsDuring(tenant, () => send(two, tenant, [lead()]))).toEqual([])
  })

  test('once a subscription on one collector is ready, the very next batch through another reaches it', async () => {
    const tenant = newTenant()
    // The sender's view is fresh and without the tenant: only the wait in `watch` can make it announce.
    await vi.waitFor(() => expect(two.eventFeed.watched(tenant)).toBe(false))
    const res = await one.app.request(`${API}/events/stream`, { headers: { authorization: `Bearer ${await one.token(tenant)}` } })
    const stream: EventStream = readEventStream(res)
    try {
      await stream.waitFor((m) => m.event === 'ready')
      const event = lead()
      await send(two, tenant, [event])
      const seen = await stream.waitFor((m) => m.data.event_id === event.event_id)
      expect(seen.data).toMatchObject({ status: 'accepted', event_name: 'Lead' })
    } finally {
      await stream.close()
    }
    // The last stream gone, its registration goes with it.
    await vi.waitFor(async () => {
      const { rows } = await sql`SELECT 1 FROM live_watchers WHERE tenant_id = ${tenant}`.execute(one.database.db)
      expect(rows).toEqual([])
    })
    await vi.waitFor(() => expect(two.eventFeed.watched(tenant)).toBe(false), { timeout: 3000 })
  })

  test('a registration counts until it expires: a collector that died stops counting after its TTL', async () => {
    const tenant = newTenant()
    const registry = createWatcherRegistry(one.database.db, { staleMs: 50, ttlMs: 600 })
    await registry.watch(tenant)
    registry.unwatch(tenant)
    // Another collector that stopped without unregistering: its row outlives it until the TTL.
    await sql`INSERT INTO live_watchers (collector_id, tenant_id, expires_at) VALUES (${randomUUID()}, ${tenant}, now() + interval '600 milliseconds')`.execute(
      one.database.db,
    )
    await vi.waitFor(() => expect(two.eventFeed.watched(tenant) && registry.watched(tenant)).toBe(true))
    await vi.waitFor(() => expect(registry.watched(tenant)).toBe(false), { timeout: 3000 })
    // The next registration, by any collector, clears the expired row.
    const other = newTenant()
    await registry.watch(other)
    registry.unwatch(other)
    const { rows } = await sql`SELECT 1 FROM live_watchers WHERE tenant_id = ${tenant}`.execute(one.database.db)
    expect(rows).toEqual([])
  })

  test('the tenants\' request role cannot read the registry', async () => {
    const denied = await one.database.db
      .transaction()
      .execute(async (trx) => {
        await sql`SELECT set_config('role', 'stratum_app', true)`.execute(trx)
        await sql`SELECT * FROM live_watchers`.execute(trx)
      })
      .then(() => null, (error: { code?: string }) => error.code)
    expect(denied).toBe('42501')
  })
})
