import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createSourceKey } from '../auth/source-key'
import { createTestDatabase } from '../testing/test-database'
import type { StratumDatabase } from './create-database'
import { withTenant } from './with-tenant'

let database: StratumDatabase
const a = randomUUID()
const b = randomUUID()
const profileA = randomUUID()
const eventA = randomUUID()
const sourceA = randomUUID()
const profileB = randomUUID()

/** PostgreSQL's code for "new row violates row-level security policy" and "permission denied". */
const INSUFFICIENT_PRIVILEGE = '42501'

/** The SQLSTATE of a failed statement, from either driver. */
async function failure(work: Promise<unknown>): Promise<string> {
  try {
    await work
  } catch (error) {
    return String((error as { code?: string }).code)
  }
  throw new Error('expected the statement to fail')
}

beforeAll(async () => {
  database = await createTestDatabase()
  const db = database.db
  // Seeded as the superuser (the owner), outside any tenant scope.
  await db.insertInto('tenants').values([{ id: a, name: 'A' }, { id: b, name: 'B' }]).execute()
  await db
    .insertInto('sources')
    .values({ tenant_id: a, id: sourceA, name: 'A web', source_type: 'website', source_key: createSourceKey(a), allowed_origins: [] })
    .execute()
  await db.insertInto('profiles').values([{ tenant_id: a, id: profileA }, { tenant_id: b, id: profileB }]).execute()
  const now = new Date()
  await db
    .insertInto('identifiers')
    .values({ tenant_id: a, type: 'email', hash: 'a'.repeat(64), profile_id: profileA, first_seen_at: now, last_seen_at: now })
    .execute()
  await db.insertInto('event_keys').values({ tenant_id: a, event_id: eventA, event_time: now, received_at: now, trust: 'server', profile_id: profileA }).execute()
  await db
    .insertInto('events')
    .values({
      tenant_id: a,
      event_time: now,
      event_id: eventA,
      source_id: sourceA,
      event_name: 'PageView',
      action_source: null,
      received_at: now,
      sent_at: null,
      clock_corrected: false,
      identifiers: '[]',
      user_data: '{}',
      properties: '{}',
      context: '{}',
      consent: null,
      client_ip: null,
      user_agent: null,
      session_id: null,
      emq: null,
      emq_breakdown: null,
      warnings: '[]',
    })
    .execute()
})
afterAll(() => database.close())

const TABLES = ['tenants', 'sources', 'profiles', 'identifiers', 'event_keys', 'events'] as const

describe('row-level security through withTenant', () => {
  test('tenant A sees its own rows (the seed is visible to its owner)', async () => {
    const seen = await withTenant(database.db, a, async (trx) => ({
      profiles: await trx.selectFrom('profiles').select('id').execute(),
      events: await trx.selectFrom('events').select('event_id').execute(),
      sources: await trx.selectFrom('sources').select('id').execute(),
    }))
    expect(seen.profiles.map((r) => r.id)).toEqual([profileA])
    expect(seen.events.map((r) => r.event_id)).toEqual([eventA])
    expect(seen.sources.map((r) => r.id)).toEqual([sourceA])
  })

  test.each(TABLES)("tenant B's SELECT * FROM %s without WHERE sees none of A's rows", async (table) => {
    const rows = await withTenant(database.db, b, async (trx) => (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(trx)).rows)
    const tenantOf = (r: Record<string, unknown>) => (table === 'tenants' ? r.id : r.tenant_id)
    expect(rows.filter((r) => tenantOf(r) !== b)).toEqual([])
    if (table === 'profiles') expect(rows.map((r) => r.id)).toEqual([profileB])
    if (table === 'tenants') expect(rows.map((r) => r.id)).toEqual([b])
  })

  test("tenant B counts zero of A's events even through a partition or aggregate", async () => {
    const { rows } = await withTenant(database.db, b, (trx) =>
      sql<{ n: number }>`SELECT count(*)::int AS n FROM events WHERE tenant_id = ${a}`.execute(trx),
    )
    expect(rows[0]!.n).toBe(0)
    const partitions = await sql<{ name: string }>`
      SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'events'::regclass`.execute(database.db)
    for (const { name } of partitions.rows) {
      const direct = await withTenant(database.db, b, (trx) =>
        sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(name)} WHERE tenant_id = ${a}`.execute(trx),
      ).catch((error: { code?: string }) => error)
      // A partition read directly is either refused or filtered: never A's rows.
      if ('rows' in direct) expect(direct.rows[0]!.n).toBe(0)
      else expect(direct.code).toBe(INSUFFICIENT_PRIVILEGE)
    }
  })

  test("an INSERT with A's tenant_id under B's scope fails with an RLS violation", async () => {
    const inserts = [
      (trx: Parameters<Parameters<typeof withTenant>[2]>[0]) =>
        trx.insertInto('profiles').values({ tenant_id: a, id: randomUUID() }).execute(),
      (trx: Parameters<Parameters<typeof withTenant>[2]>[0]) =>
        trx
          .insertInto('sources')
          .values({ tenant_id: a, name: 'evil', source_type: 'website', source_key: createSourceKey(a), allowed_origins: [] })
          .execute(),
      (trx: Parameters<Parameters<typeof withTenant>[2]>[0]) =>
        trx.insertInto('event_keys').values({ tenant_id: a, event_id: randomUUID(), event_time: new Date(), received_at: new Date(), trust: 'server' }).execute(),
      (trx: Parameters<Parameters<typeof withTenant>[2]>[0]) => trx.insertInto('tenants').values({ id: randomUUID(), name: 'x' }).execute(),
    ]
    for (const insert of inserts) {
      expect(await failure(withTenant(database.db, b, insert))).toBe(INSUFFICIENT_PRIVILEGE)
    }
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM profiles WHERE tenant_id = ${a}`.execute(database.db)
    expect(rows[0]!.n).toBe(1)
  })

  test("B cannot move its own row into A (UPDATE … SET tenant_id = A)", async () => {
    const code = await failure(
      withTenant(database.db, b, (trx) => trx.updateTable('profiles').set({ tenant_id: a }).where('id', '=', profileB).execute()),
    )
    expect(code).toBe(INSUFFICIENT_PRIVILEGE)
  })

  test("UPDATE and DELETE of A's rows under B affect 0 rows", async () => {
    const result = await withTenant(database.db, b, async (trx) => ({
      updated: await trx.updateTable('profiles').set({ events_count: 999 }).executeTakeFirst(),
      deletedIdentifiers: await trx.deleteFrom('identifiers').executeTakeFirst(),
      deletedEvents: await trx.deleteFrom('events').where('tenant_id', '=', a).executeTakeFirst(),
      deletedSources: await trx.deleteFrom('sources').executeTakeFirst(),
    }))
    // B's own profile is the only one it could touch.
    expect(Number(result.updated.numUpdatedRows)).toBe(1)
    expect(Number(result.deletedIdentifiers.numDeletedRows)).toBe(0)
    expect(Number(result.deletedEvents.numDeletedRows)).toBe(0)
    expect(Number(result.deletedSources.numDeletedRows)).toBe(0)
    const profile = await database.db.selectFrom('profiles').select('events_count').where('id', '=', profileA).executeTakeFirstOrThrow()
    expect(profile.events_count).toBe(0)
    const kept = await database.db.selectFrom('identifiers').select('hash').where('tenant_id', '=', a).execute()
    expect(kept).toHaveLength(1)
  })

  test('events are append-only for the app role: UPDATE is refused outright', async () => {
    const code = await failure(withTenant(database.db, a, (trx) => trx.updateTable('events').set({ event_name: 'Purchase' }).execute()))
    expect(code).toBe(INSUFFICIENT_PRIVILEGE)
  })

  test('as the app role without a tenant, every table reads zero rows', async () => {
    for (const table of TABLES) {
      const rows = await database.db.transaction().execute(async (trx) => {
        await sql`SELECT set_config('role', 'stratum_app', true)`.execute(trx)
        return (await sql`SELECT * FROM ${sql.table(table)}`.execute(trx)).rows
      })
      expect(rows, table).toEqual([])
    }
  })

  test('an empty tenant id reads zero rows', async () => {
    const rows = await withTenant(database.db, '', async (trx) => (await sql`SELECT * FROM profiles`.execute(trx)).rows)
    expect(rows).toEqual([])
  })

  test('a tenant id that is not a UUID fails closed instead of matching anything', async () => {
    const attempt = withTenant(database.db, `${a}' OR true --`, (trx) => trx.selectFrom('profiles').selectAll().execute())
    await expect(attempt).rejects.toThrow()
  })

  test('the role and tenant do not outlive the transaction', async () => {
    await withTenant(database.db, a, (trx) => trx.selectFrom('profiles').selectAll().execute())
    const { rows } = await sql<{ role: string; tenant: string | null }>`
      SELECT current_user AS role, current_setting('stratum.tenant_id', true) AS tenant`.execute(database.db)
    expect(rows[0]!.role).not.toBe('stratum_app')
    expect(rows[0]!.tenant ?? '').toBe('')
  })

  test('a failed transaction rolls back and leaves no tenant behind', async () => {
    await expect(
      withTenant(database.db, a, async (trx) => {
        await trx.insertInto('profiles').values({ tenant_id: a, id: randomUUID() }).execute()
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM profiles WHERE tenant_id = ${a}`.execute(database.db)
    expect(rows[0]!.n).toBe(1)
  })

  test('turning row_security off does not bypass RLS: the query is refused', async () => {
    const code = await failure(
      withTenant(database.db, b, async (trx) => {
        await sql`SET LOCAL row_security = off`.execute(trx)
        return sql`SELECT * FROM profiles`.execute(trx)
      }),
    )
    expect(code).toBe(INSUFFICIENT_PRIVILEGE)
  })
})
