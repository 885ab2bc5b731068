import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { describe, expect, test } from 'vitest'
import { wantsResolution } from '../api/routes/events-route'
import { type AuthContext, SCOPES } from '../auth/scopes'
import { createDatabase } from '../db/create-database'
import { ingestBatch } from '../ingest/ingest-batch'
import { useTestApp } from '../testing/use-test-app'
import { resolvePending } from './resolve-pending'
import { createResolver } from './resolver'

const EVENTS = '/api/v1/cdp/events'
const app = useTestApp()

const pageView = (anon: string) => ({
  event_id: randomUUID(),
  event_name: 'PageView',
  event_time: new Date().toISOString(),
  identifiers: [{ type: 'anonymous_id', value: anon }],
})
const pendingOf = async (tenant: string) =>
  (
    await sql<{ n: number }>`SELECT count(*)::int AS n FROM event_keys WHERE tenant_id = ${tenant} AND profile_id IS NULL`.execute(
      app.t.database.db,
    )
  ).rows[0]!.n

describe('the durable append answers before resolution', () => {
  test('without Prefer: stored at once, profile_id null; the resolver then gives it a profile', async () => {
    const anon = `anon_${randomUUID()}`
    const res = await app.t.call('POST', EVENTS, { token: app.token, body: { events: [pageView(anon)] }, headers: { prefer: 'respond-async' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('preference-applied')).toBeNull()
    expect(res.body).toMatchObject({ accepted: 1, events: [{ status: 'accepted', profile_id: null, emq: expect.any(Number) }] })
    await app.t.resolver.drain(app.tenant)
    expect(await pendingOf(app.tenant)).toBe(0)
    const profile = await app.t.call('GET', `/api/v1/cdp/profiles?identifier_type=anonymous_id&identifier_value=${anon}`, { token: app.token })
    expect(profile.body).toMatchObject({ events_count: 1 })
  })

  test('the profile is written onto the key: the event row is not rewritten (collector/docs/pipeline.md)', async () => {
    const event = pageView(`anon_${randomUUID()}`)
    await app.t.call('POST', EVENTS, { token: app.token, body: { events: [event] }, headers: { prefer: 'respond-async' } })
    await app.t.resolver.drain(app.tenant)
    // xmin names the transaction that wrote a row's current version: the append wrote both, the round only the key.
    const { rows } = await sql<{ event_writer: string; key_writer: string; profile_id: string | null }>`
      SELECT e.xmin::text AS event_writer, k.xmin::text AS key_writer, k.profile_id FROM events AS e
      JOIN event_keys AS k ON k.tenant_id = e.tenant_id AND k.event_id = e.event_id
      WHERE e.tenant_id = ${app.tenant} AND e.event_id = ${event.event_id}`.execute(app.t.database.db)
    expect(rows[0]!.profile_id).toMatch(/^[0-9a-f-]{36}$/)
    expect(rows[0]!.key_writer).not.toBe(rows[0]!.event_writer)
  })

  test('Prefer: wait=resolved answers with the profile and says so', async () => {
    const anon = `anon_${randomUUID()}`
    const res = await app.t.call('POST', EVENTS, { token: app.token, body: { events: [pageView(anon)] }, headers: { prefer: 'wait=resolved' } })
    expect(res.headers.get('preference-applied')).toBe('wait=resolved')
    const profile = await app.t.call('GET', `/api/v1/cdp/profiles?identifier_type=anonymous_id&identifier_value=${anon}`, { token: app.token })
    expect(res.body.events[0].profile_id).toBe(profile.body.id)
  })

  test('the Prefer header is read as RFC 7240 preferences', () => {
    expect(wantsResolution('wait=resolved')).toBe(true)
    expect(wantsResolution('respond-async, Wait=Resolved')).toBe(true)
    expect(wantsResolution('return=minimal; wait=resolved')).toBe(true)
    expect(wantsResolution('wait=10')).toBe(false)
    expect(wantsResolution(undefined)).toBe(false)
  })
})

describe.skipIf(!process.env.DATABASE_URL)('the lease', () => {
  test('a round steps aside while another collector holds the tenant, and resolves once it lets go', async () => {
    const tenant = app.tenant
    await app.t.resolver.drain(tenant)
    // Another collector: its own pool, holding the lease in an open transaction.
    const other = await createDatabase({ databaseUrl: process.env.DATABASE_URL, maxConnections: 1 })
    let release!: () => void
    const released = new Promise<void>((resolve) => {
      release = resolve
    })
    let leased!: () => void
    const holding = new Promise<void>((resolve) => {
      leased = resolve
    })
    const holder = other.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`stratum:resolver:${tenant}`}, 0))`.execute(trx)
      leased()
      await released
    })
    try {
      await holding
      const res = await app.t.call('POST', EVENTS, {
        token: app.token,
        body: { events: [pageView(`anon_${randomUUID()}`)] },
        headers: { prefer: 'respond-async' },
      })
      expect(res.body.accepted).toBe(1)
      await app.t.resolver.drain(tenant)
      expect(await resolvePending(app.t.database.db, tenant, 100)).toEqual({ status: 'busy' })
      expect(await pendingOf(tenant)).toBe(1)
    } finally {
      release()
      await holder
      await other.close()
    }
    expect(await resolvePending(app.t.database.db, tenant, 100)).toMatchObject({ status: 'done' })
    expect(await pendingOf(tenant)).toBe(0)
  })
})

describe('backpressure', () => {
  test('while resolution lags past the bound, an answer waits until the resolver has caught up', async () => {
    // Rounds of one event: 500 pending events take the resolver 500 rounds.
    const resolver = createResolver({ db: app.t.database.db, batchSize: 1 })
    const tenant = randomUUID()
    const auth: AuthContext = { tenantId: tenant, trust: 'server', via: 'jwt', scopes: new Set(SCOPES), subject: 'test' }
    const facts = () => ({ receivedAt: new Date(), clientIp: undefined, userAgent: undefined })
    const settings = { retentionMonths: 13, resolver, backpressure: { maxLagMs: 1, timeoutMs: 60_000 } }
    try {
      const burst = Array.from({ length: 500 }, (_, i) => pageView(`anon_${tenant}_${i}`))
      const first = await ingestBatch(app.t.database.db, auth, { events: burst }, facts(), settings)
      expect(first.result.accepted).toBe(500)
      // Once a round has run, the resolver knows the lag.
      while ((await pendingOf(tenant)) === 500) await new Promise((resolve) => setTimeout(resolve, 5))
      expect(await pendingOf(tenant)).toBeGreaterThan(100)
      const next = await ingestBatch(app.t.database.db, auth, { events: [pageView(`anon_${randomUUID()}`)] }, facts(), settings)
      expect(next.result.accepted).toBe(1)
      expect(await pendingOf(tenant)).toBe(0)
    } finally {
      await resolver.close()
    }
  }, 60_000)
})
