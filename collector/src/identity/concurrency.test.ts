import { afterAll, beforeAll, expect, test } from 'vitest'
import { createApp } from '../app'
import { SCOPES } from '../auth/scopes'
import { mintToken } from '../auth/mint-token'
import { loadConfig } from '../config'
import { createDatabase, type StratumDatabase } from '../db/create-database'
import { createTestApp, newTenant, TEST_SECRET, type TestApp } from '../testing/test-app'

/**
 * Two collectors — two separate connection pools on one PostgreSQL — ingest
 * overlapping batches about the same people in parallel. On PGlite (one
 * connection) the same test runs serialised and still checks the outcome.
 */
const PEOPLE = 12
const config = loadConfig({ STRATUM_JWT_SECRET: TEST_SECRET, STRATUM_LOG: 'off' })

let primary: TestApp
let second: StratumDatabase | undefined
beforeAll(async () => {
  primary = await createTestApp()
  second = process.env.DATABASE_URL ? await createDatabase({ databaseUrl: process.env.DATABASE_URL, maxConnections: 4 }) : undefined
})
afterAll(async () => {
  await second?.close()
  await primary.close()
})

/** Each person's events link their identifiers in a chain, so any order converges on one profile. */
function eventsOf(person: number) {
  const id = {
    anon: { type: 'anonymous_id', value: `anon-${person}` },
    email: { type: 'email', value: `person${person}@shop.io` },
    phone: { type: 'phone', value: `+4915100000${String(100 + person)}` },
    ext: { type: 'external_id', value: `crm-${person}` },
  }
  const at = (m: number) => new Date(Date.now() - (60 - m) * 60_000).toISOString()
  return [
    { event_name: 'PageView', event_time: at(1), identifiers: [id.anon], context: { session_id: `s${person}-a` } },
    { event_name: 'Login', event_time: at(2), identifiers: [id.anon, id.email], context: { session_id: `s${person}-a` } },
    { event_name: 'Lead', event_time: at(3), identifiers: [id.email, id.phone], context: { session_id: `s${person}-b` } },
    {
      event_name: 'Purchase',
      event_time: at(4),
      identifiers: [id.phone, id.ext],
      properties: { value: 10 + person, currency: 'EUR' },
      context: { session_id: `s${person}-b` },
    },
    { event_name: 'PageView', event_time: at(5), identifiers: [id.ext, id.anon], context: { session_id: `s${person}-c` } },
  ].map((e, i) => ({ ...e, event_id: crypto.randomUUID(), action_source: 'website', _order: i }))
}

/** Deterministically shuffled batches of 7 events mixing people. */
function batches(events: ReturnType<typeof eventsOf>) {
  const shuffled = events
    .map((e, i) => ({ e, k: (i * 7919) % 101 }))
    .sort((a, b) => a.k - b.k)
    .map(({ e: { _order, ...e } }) => e)
  const out: (typeof shuffled)[] = []
  for (let i = 0; i < shuffled.length; i += 7) out.push(shuffled.slice(i, i + 7))
  return out
}

async function summary(app: ReturnType<typeof createApp>, token: string) {
  const rows = []
  for (let person = 0; person < PEOPLE; person++) {
    const ids = await Promise.all(
      [`anonymous_id&identifier_value=anon-${person}`, `email&identifier_value=person${person}@shop.io`, `external_id&identifier_value=crm-${person}`].map(
        async (q) => (await (await app.request(`/api/v1/cdp/profiles?identifier_type=${q}`, { headers: { authorization: `Bearer ${token}` } })).json()) as any,
      ),
    )
    expect(new Set(ids.map((p) => p.id)).size).toBe(1)
    const { events_count, sessions_count, purchases_count, revenue, lifecycle_stage } = ids[0]
    rows.push({ events_count, sessions_count, purchases_count, revenue, lifecycle_stage })
  }
  return rows
}

test('parallel collectors create one profile per person, lose nothing and agree with a serial run', async () => {
  const events = Array.from({ length: PEOPLE }, (_, p) => eventsOf(p)).flat()
  const parallelTenant = newTenant()
  const serialTenant = newTenant()
  const apps = [primary.app, second ? createApp({ db: second.db, config }) : primary.app]
  const post = async (app: ReturnType<typeof createApp>, tenant: string, body: unknown) => {
    const token = await mintToken({ secret: TEST_SECRET, tenantId: tenant, scopes: [...SCOPES] })
    const res = await app.request('/api/v1/cdp/events', {
      method: 'POST',
      // Waits for resolution: the summary below reads profiles.
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', prefer: 'wait=resolved' },
      body: JSON.stringify(body),
    })
    expect(res.status).toBe(200)
    return (await res.json()) as { accepted: number; duplicates: number }
  }

  const all = batches(events)
  // Every batch is sent by both collectors at once: each event once accepted, once a duplicate.
  const results = await Promise.all(all.flatMap((batch) => apps.map((app) => post(app, parallelTenant, { events: batch }))))
  expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(events.length)
  expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(events.length)
  for (const batch of all) await post(primary.app, serialTenant, { events: batch.map((e) => ({ ...e, event_id: crypto.randomUUID() })) })

  const stored = await primary.database.db
    .selectFrom('events')
    .select(({ fn }) => fn.countAll<string>().as('n'))
    .where('tenant_id', '=', parallelTenant)
    .executeTakeFirstOrThrow()
  expect(Number(stored.n)).toBe(events.length)
  const live = await primary.database.db
    .selectFrom('profiles')
    .select(({ fn }) => fn.countAll<string>().as('n'))
    .where('tenant_id', '=', parallelTenant)
    .where('merged_into', 'is', null)
    .executeTakeFirstOrThrow()
  expect(Number(live.n)).toBe(PEOPLE)

  const parallel = await summary(primary.app, await mintToken({ secret: TEST_SECRET, tenantId: parallelTenant, scopes: ['profiles:read'] }))
  const serial = await summary(primary.app, await mintToken({ secret: TEST_SECRET, tenantId: serialTenant, scopes: ['profiles:read'] }))
  expect(parallel).toEqual(serial)
  expect(parallel[3]).toEqual({ events_count: 5, sessions_count: 3, purchases_count: 1, revenue: { EUR: 13 }, lifecycle_stage: 'customer' })
}, 120_000)
