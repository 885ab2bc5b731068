import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createApp } from '../../app'
import { mintToken } from '../../auth/mint-token'
import { SCOPES } from '../../auth/scopes'
import { loadConfig } from '../../config'
import { createDatabase } from '../../db/create-database'
import { createTestApp, newTenant, TEST_SECRET, type TestApp } from '../../testing/test-app'

const EVENTS = '/api/v1/cdp/events'

const batch = (n = 1) => ({
  events: Array.from({ length: n }, (_, i) => ({
    event_id: randomUUID(),
    event_name: 'PageView',
    event_time: new Date().toISOString(),
    identifiers: [{ type: 'anonymous_id', value: `anon_${randomUUID()}_${i}` }],
  })),
})

/** A 503 in the API's error shape with a numeric Retry-After. */
async function expectUnavailable(res: Response) {
  expect(res.status).toBe(503)
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
  const body = await res.json()
  expect(body).toEqual({ error: { code: expect.any(String), message: expect.any(String), details: [] } })
  return body
}

describe('a PostgreSQL server nobody listens on', () => {
  const config = { ...loadConfig({ STRATUM_JWT_SECRET: TEST_SECRET, STRATUM_LOG: 'off' }), databaseUrl: 'postgres://stratum@127.0.0.1:1/none' }
  let close: () => Promise<void>
  let app: ReturnType<typeof createApp>

  beforeAll(async () => {
    const database = await createDatabase({ databaseUrl: config.databaseUrl })
    close = database.close
    app = createApp({ db: database.db, config })
  })
  afterAll(() => close())

  const headers = async () => ({
    authorization: `Bearer ${await mintToken({ secret: TEST_SECRET, tenantId: newTenant(), scopes: SCOPES })}`,
    'content-type': 'application/json',
  })

  test('POST /events → 503 with Retry-After in the error shape', async () => {
    const res = await app.request(EVENTS, { method: 'POST', headers: await headers(), body: JSON.stringify(batch()) })
    const body = await expectUnavailable(res)
    expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/i)
  })

  test('a source-key request → 503 too (the key cannot be checked), not 401', async () => {
    const key = `sk_${Buffer.alloc(40, 7).toString('base64url')}`
    const res = await app.request(EVENTS, {
      method: 'POST',
      headers: { 'x-source-key': key, 'content-type': 'application/json' },
      body: JSON.stringify(batch()),
    })
    await expectUnavailable(res)
  })

  test('GET /sources → 503', async () => {
    await expectUnavailable(await app.request('/api/v1/cdp/sources', { headers: await headers() }))
  })

  test('/readyz → 503 while /livez stays 200', async () => {
    await expectUnavailable(await app.request('/readyz'))
    expect((await app.request('/livez')).status).toBe(200)
  })

  test('GET /health → 503 (authenticating provisions the tenant, which needs storage)', async () => {
    await expectUnavailable(await app.request('/api/v1/cdp/health', { headers: await headers() }))
  })
})

describe('a database closed under a running app', () => {
  let t: TestApp
  let token: string

  beforeAll(async () => {
    t = await createTestApp()
    token = await t.token(newTenant())
    // Warm up: the tenant is provisioned and a batch goes through.
    expect((await t.call('POST', EVENTS, { token, body: batch() })).status).toBe(200)
    await t.database.close()
  })

  test('POST /events → 503 with Retry-After', async () => {
    const res = await t.app.request(EVENTS, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(batch()),
    })
    await expectUnavailable(res)
  })

  test('/readyz → 503', async () => {
    await expectUnavailable(await t.app.request('/readyz'))
  })
})

/** A trigger, created as the owner, that fails `table`'s inserts of one tenant's rows matching `condition`. */
async function failInserts(t: TestApp, name: string, table: string, condition: string) {
  await sql
    .raw(`
      CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF ${condition} THEN RAISE EXCEPTION 'SELECT secret FROM injected_failure'; END IF;
        RETURN NEW;
      END $$`)
    .execute(t.database.db)
  await sql.raw(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`).execute(t.database.db)
  return async () => {
    await sql.raw(`DROP TRIGGER IF EXISTS ${name} ON ${table}`).execute(t.database.db)
    await sql.raw(`DROP FUNCTION IF EXISTS ${name}()`).execute(t.database.db)
  }
}

const count = async (t: TestApp, table: string, tenant: string, where = sql`true`) => {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE tenant_id = ${tenant} AND ${where}`.execute(
    t.database.db,
  )
  return rows[0]!.n
}

describe('an append whose transaction fails midway', () => {
  let t: TestApp
  const tenant = newTenant()
  let repair: () => Promise<void>

  beforeAll(async () => {
    t = await createTestApp()
    // Provision the tenant first, so the failure hits the batch and not the auth.
    expect((await t.call('GET', '/api/v1/cdp/sources', { token: await t.token(tenant) })).status).toBe(200)
    // The batch's 3rd event fails after its ids were claimed and the first events inserted.
    repair = await failInserts(t, `fail_${tenant.replaceAll('-', '')}`, 'events', `NEW.tenant_id = '${tenant}' AND NEW.event_name = 'Fail'`)
  })
  afterAll(async () => {
    await repair()
    await t.close()
  })

  const failing = batch(3)
  failing.events[2]!.event_name = 'Fail'

  test('answers a 5xx in the error shape without SQL text, and leaves no rows', async () => {
    const res = await t.call('POST', EVENTS, { token: await t.token(tenant), body: failing })
    expect(res.status).toBeGreaterThanOrEqual(500)
    expect(res.body).toEqual({ error: { code: expect.any(String), message: expect.any(String), details: [] } })
    expect(JSON.stringify(res.body)).not.toMatch(/select|injected_failure|secret|identifiers/i)
    for (const table of ['event_keys', 'events', 'profiles', 'identifiers', 'profile_sessions']) {
      expect(await count(t, table, tenant), table).toBe(0)
    }
  })

  test('the same batch goes through once the fault is gone, and is not seen as a duplicate', async () => {
    await repair()
    const res = await t.call('POST', EVENTS, { token: await t.token(tenant), body: failing })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ accepted: 3, duplicates: 0 })
  })
})

describe('a resolution round that fails midway', () => {
  let t: TestApp
  const tenant = newTenant()
  let repair: () => Promise<void>

  beforeAll(async () => {
    t = await createTestApp()
    expect((await t.call('GET', '/api/v1/cdp/sources', { token: await t.token(tenant) })).status).toBe(200)
    // Fails the round at its 2nd new identifier: by then it has written a profile.
    repair = await failInserts(t, `fail_${tenant.replaceAll('-', '')}`, 'identifiers', `NEW.tenant_id = '${tenant}' AND NEW.hash LIKE 'anon_fail_%'`)
  })
  afterAll(async () => {
    await repair()
    await t.close()
  })

  const failing = batch(3)
  failing.events[2]!.identifiers = [{ type: 'anonymous_id', value: `anon_fail_${randomUUID()}` }]

  test('the batch is stored all the same; the round rolls back whole and its events stay pending', async () => {
    const res = await t.call('POST', EVENTS, { token: await t.token(tenant), body: failing, headers: { prefer: 'respond-async' } })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ accepted: 3, duplicates: 0 })
    expect(res.body.events.map((e: { profile_id: string | null }) => e.profile_id)).toEqual([null, null, null])
    await t.resolver.drain(tenant)
    expect(await count(t, 'event_keys', tenant, sql`profile_id IS NULL`)).toBe(3)
    for (const table of ['profiles', 'identifiers', 'profile_sessions']) expect(await count(t, table, tenant), table).toBe(0)
  })

  test('once the fault is gone, the next round resolves them once: nothing lost, nothing counted twice', async () => {
    await repair()
    await t.resolver.drain(tenant)
    expect(await count(t, 'event_keys', tenant, sql`profile_id IS NULL`)).toBe(0)
    expect(await count(t, 'profiles', tenant)).toBe(3)
    const { rows } = await sql<{ n: number }>`SELECT sum(events_count)::int AS n FROM profiles WHERE tenant_id = ${tenant}`.execute(t.database.db)
    expect(rows[0]!.n).toBe(3)
    const replay = await t.call('POST', EVENTS, { token: await t.token(tenant), body: failing })
    expect(replay.body).toMatchObject({ accepted: 0, duplicates: 3 })
  })
})
