import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createDatabase, type StratumDatabase } from '../db/create-database'
import { migrate } from '../db/migrate'
import { ensureEventPartitions, partitionName } from '../db/partitions'
import { createTestDatabase } from '../testing/test-database'
import { runRetention } from './retention'
import { setTenantRetention } from './tenant-retention'

/**
 * Retention drops partitions, which every tenant shares: on a PostgreSQL
 * server this file gets a database of its own so that no other test file's
 * partitions come or go under it (PGlite is one database per file anyway).
 */
async function isolatedDatabase(): Promise<StratumDatabase> {
  const url = process.env.DATABASE_URL
  if (!url) return createTestDatabase()
  const name = `stratum_retention_${randomUUID().replaceAll('-', '')}`
  const server = await createDatabase({ databaseUrl: url, maxConnections: 1 })
  await sql`CREATE DATABASE ${sql.id(name)}`.execute(server.db)
  const target = new URL(url)
  target.pathname = `/${name}`
  const database = await createDatabase({ databaseUrl: target.toString(), maxConnections: 4 })
  await migrate(database.db, { retentionMonths: 13 })
  const close = async () => {
    await database.close()
    await sql`DROP DATABASE ${sql.id(name)}`.execute(server.db)
    await server.close()
  }
  return { ...database, close }
}

let database: StratumDatabase
beforeAll(async () => {
  database = await isolatedDatabase()
})
afterAll(() => database.close())

const now = new Date()
/** Mid-month, so that month arithmetic never skips a month on the 31st. */
const monthsAgo = (months: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 15))
const nameOf = (at: Date) => partitionName(at.getUTCFullYear(), at.getUTCMonth())

async function partitions(): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'events'::regclass ORDER BY 1`.execute(database.db)
  return rows.map((r) => r.name)
}

/** Stores events straight into the tables, as the owner: times far in the past are what ingest refuses. */
async function store(tenant: string, profile: string, times: Date[]): Promise<string[]> {
  const ids = times.map(() => randomUUID())
  const rows = times.map((at, i) => ({ tenant_id: tenant, event_id: ids[i]!, event_time: at, received_at: at }))
  await database.db.insertInto('event_keys').values(rows.map((r) => ({ ...r, trust: 'server' as const, profile_id: profile }))).execute()
  await database.db
    .insertInto('events')
    .values(
      rows.map((r) => ({
        ...r, event_name: 'PageView', clock_corrected: false,
        identifiers: '[]', user_data: '{}', properties: '{}', context: '{}', warnings: '[]',
      })),
    )
    .execute()
  return ids
}

const remaining = async (table: 'events' | 'event_keys', tenant: string) =>
  (await database.db.selectFrom(table).select('event_id').where('tenant_id', '=', tenant).execute()).map((r) => r.event_id).sort()

test('drops whole partitions past the window, enforces a shorter tenant window in batches, keeps profiles', async () => {
  // A database with history well past the window: partitions 20 to 26 months back.
  await ensureEventPartitions(database.db, { now: monthsAgo(20), monthsBack: 6, monthsAhead: 0 })
  const oldPartition = nameOf(monthsAgo(24))
  expect(await partitions()).toContain(oldPartition)

  const [standard, short] = [randomUUID(), randomUUID()]
  await database.db.insertInto('tenants').values([{ id: standard, name: 'standard' }, { id: short, name: 'short' }]).execute()
  await setTenantRetention(database.db, short, 3)
  const profiles = { [standard]: randomUUID(), [short]: randomUUID() }
  await database.db
    .insertInto('profiles')
    .values(Object.entries(profiles).map(([tenant_id, id]) => ({ tenant_id, id, revenue: '{}', events_count: 8 })))
    .execute()
  const kept: Record<string, string[]> = {}
  for (const tenant of [standard, short]) {
    await store(tenant, profiles[tenant]!, [monthsAgo(24), monthsAgo(24)])
    const fiveMonths = await store(tenant, profiles[tenant]!, [1, 2, 3, 4, 5].map((d) => new Date(monthsAgo(5).getTime() + d * 3600_000)))
    const recent = await store(tenant, profiles[tenant]!, [new Date(now.getTime() - 86400_000)])
    kept[tenant] = tenant === short ? recent : [...fiveMonths, ...recent]
  }

  // The Trust Engine's outbox: a delivery of an expired event goes with it, a recent one stays.
  const destination = randomUUID()
  await database.db.insertInto('destinations').values({ tenant_id: standard, id: destination, name: 'd', type: 'webhook', config: '{}', secret: 'x' }).execute()
  const [oldEvent] = await store(standard, profiles[standard]!, [monthsAgo(24)])
  const delivery = (event_id: string, event_time: Date) => ({
    tenant_id: standard, destination_id: destination, event_id, event_time, event_name: 'PageView', status: 'delivered' as const,
    next_attempt_at: now, created_at: now, updated_at: now,
  })
  await database.db.insertInto('deliveries').values([delivery(oldEvent!, monthsAgo(24)), delivery(kept[standard]!.at(-1)!, now)]).execute()

  const report = await runRetention(database.db, { retentionMonths: 13, now, batchSize: 2 })
  expect(report.deliveries_expired).toBe(1)
  const outbox = await database.db.selectFrom('deliveries').select('event_id').where('destination_id', '=', destination).execute()
  expect(outbox.map((r) => r.event_id)).toEqual([kept[standard]!.at(-1)])

  expect(report.partitions_dropped).toContain(oldPartition)
  expect(report.event_keys_expired).toBe(5)
  expect(report.tenants).toEqual([expect.objectContaining({ tenant_id: short, retention_months: 3, events_deleted: 5 })])
  const left = await partitions()
  for (let back = 14; back <= 26; back++) expect(left).not.toContain(nameOf(monthsAgo(back)))
  for (let back = 0; back <= 12; back++) expect(left).toContain(nameOf(monthsAgo(back)))
  for (const tenant of [standard, short]) {
    expect(await remaining('events', tenant)).toEqual(kept[tenant]!.sort())
    expect(await remaining('event_keys', tenant)).toEqual(kept[tenant]!.sort())
  }
  // Profiles stay, aggregates as they were: they keep counting expired history.
  const stayed = await database.db.selectFrom('profiles').select('events_count').where('id', 'in', Object.values(profiles)).execute()
  expect(stayed.map((p) => p.events_count)).toEqual([8, 8])

  const again = await runRetention(database.db, { retentionMonths: 13, now, batchSize: 2 })
  expect(again).toMatchObject({ partitions_dropped: [], event_keys_expired: 0, tenants: [{ tenant_id: short, events_deleted: 0 }] })
})

test('a tenant window is 1 to 120 months, or the default', async () => {
  const tenant = randomUUID()
  await database.db.insertInto('tenants').values({ id: tenant, name: 't' }).execute()
  await expect(setTenantRetention(database.db, tenant, 0)).rejects.toThrow('1 to 120 months')
  await setTenantRetention(database.db, tenant, null)
  await expect(setTenantRetention(database.db, randomUUID(), 6)).rejects.toThrow('No tenant')
})
