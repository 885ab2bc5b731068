import { randomUUID } from 'node:crypto'
import { type Kysely, Migrator, sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createSourceKey } from '../../auth/source-key'
import { createDatabase, type StratumDatabase } from '../create-database'
import { migrate } from '../migrate'
import { ensureEventPartitions } from '../partitions'
import type { Database } from '../schema'
import * as initialSchema from './0001-initial-schema'
import * as emqIndexes from './0002-emq-indexes'
import * as privacy from './0003-privacy'
import * as identityResolution from './0004-identity-resolution'

/**
 * The migration on data written before it. Always on a fresh embedded
 * database (even when the suite runs on a PostgreSQL server, whose shared
 * database is already migrated): it needs the schema as it was.
 */
let database: StratumDatabase
let db: Kysely<Database>
const tenant = randomUUID()
const website = randomUUID()
const legacyServer = randomUUID()
const legacyKey = createSourceKey(tenant)
const profiles = { browserOnly: randomUUID(), both: randomUUID(), survivor: randomUUID(), merged: randomUUID(), anonymous: randomUUID() }
const events: Record<string, { id: string; source: string | null }> = {}

beforeAll(async () => {
  database = await createDatabase({})
  db = database.db
  const before = { '0001-initial-schema': initialSchema, '0002-emq-indexes': emqIndexes, '0003-privacy': privacy, '0004-identity-resolution': identityResolution }
  const { error } = await new Migrator({ db, provider: { getMigrations: async () => before } }).migrateToLatest()
  if (error) throw error
  await ensureEventPartitions(db, { monthsBack: 1, monthsAhead: 1 })
  await seedLegacyData()
  await migrate(db, { retentionMonths: 13 })
})
afterAll(() => database.close())

/** What an earlier version stored: source-key Purchases counted as revenue, and made customers. */
async function seedLegacyData() {
  const now = new Date()
  await sql`INSERT INTO tenants (id, name) VALUES (${tenant}, 'T')`.execute(db)
  await sql`INSERT INTO sources (tenant_id, id, name, source_type, source_key) VALUES
    (${tenant}, ${website}, 'Web', 'website', ${createSourceKey(tenant)}),
    (${tenant}, ${legacyServer}, 'ERP', 'server', ${legacyKey})`.execute(db)
  const profile = (id: string, purchases: number, revenue: object, mergedInto: string | null = null) =>
    sql`INSERT INTO profiles (tenant_id, id, lifecycle_stage, purchases_count, revenue, events_count, merged_into)
        VALUES (${tenant}, ${id}, ${purchases > 0 ? 'customer' : 'known'}, ${purchases}, ${JSON.stringify(revenue)}::jsonb, ${purchases}, ${mergedInto})`.execute(db)
  await profile(profiles.browserOnly, 1, { EUR: 100 })
  await profile(profiles.both, 2, { EUR: 80 })
  await profile(profiles.survivor, 2, { EUR: 30, USD: 5 })
  await profile(profiles.merged, 0, {}, profiles.survivor)
  await profile(profiles.anonymous, 1, { EUR: 7 })
  await sql`INSERT INTO identifiers (tenant_id, type, hash, profile_id, first_seen_at, last_seen_at) VALUES
    (${tenant}, 'email', ${'a'.repeat(64)}, ${profiles.browserOnly}, ${now}, ${now}),
    (${tenant}, 'anonymous_id', 'anon-1', ${profiles.anonymous}, ${now}, ${now})`.execute(db)
  const purchase = async (name: string, profileId: string, source: string | null, value: number, currency = 'EUR') => {
    const id = randomUUID()
    events[name] = { id, source }
    await sql`INSERT INTO event_keys (tenant_id, event_id, event_time, received_at) VALUES (${tenant}, ${id}, ${now}, ${now})`.execute(db)
    await sql`INSERT INTO events (tenant_id, event_time, event_id, profile_id, source_id, event_name, received_at, properties)
      VALUES (${tenant}, ${now}, ${id}, ${profileId}, ${source}, 'Purchase', ${now}, ${JSON.stringify({ value, currency })}::jsonb)`.execute(db)
  }
  await purchase('browserOnly', profiles.browserOnly, website, 100)
  await purchase('bothServer', profiles.both, null, 50)
  await purchase('bothBrowser', profiles.both, website, 30)
  await purchase('survivorServer', profiles.survivor, null, 30)
  // On a profile merged away since: it counted on the survivor. A legacy server source's key was public.
  await purchase('mergedBrowser', profiles.merged, legacyServer, 5, 'usd')
  await purchase('anonymousBrowser', profiles.anonymous, website, 7)
  await sql`INSERT INTO consents (tenant_id, profile_id, purpose, granted, source_id) VALUES
    (${tenant}, ${profiles.browserOnly}, 'analytics', false, ${website}),
    (${tenant}, ${profiles.both}, 'analytics', false, NULL)`.execute(db)
}

/** A profile's figures, sums as numbers (numeric sums may come back as text). */
async function figures(id: string) {
  const p = await db
    .selectFrom('profiles')
    .select(['lifecycle_stage', 'purchases_count', 'revenue', 'claimed_purchases_count', 'claimed_revenue'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  const numbers = (revenue: Record<string, unknown>) => Object.fromEntries(Object.entries(revenue).map(([k, v]) => [k, Number(v)]))
  return { ...p, revenue: numbers(p.revenue), claimed_revenue: numbers(p.claimed_revenue) }
}

test('source-key claims and consent records become browser trust; the rest server', async () => {
  const keys = await db.selectFrom('event_keys').select(['event_id', 'trust']).execute()
  const trustOf = new Map(keys.map((k) => [k.event_id, k.trust]))
  for (const event of Object.values(events)) expect(trustOf.get(event.id)).toBe(event.source ? 'browser' : 'server')
  const consents = await db.selectFrom('consents').select(['profile_id', 'trust']).orderBy('profile_id').execute()
  expect(new Map(consents.map((c) => [c.profile_id, c.trust]))).toEqual(
    new Map([
      [profiles.browserOnly, 'browser'],
      [profiles.both, 'server'],
    ]),
  )
})

test("retained browser Purchases move to the survivor's claimed figures; a customer without a confirmed one is no longer a customer", async () => {
  expect({
    browserOnly: await figures(profiles.browserOnly),
    both: await figures(profiles.both),
    survivor: await figures(profiles.survivor),
  }).toEqual({
    browserOnly: { lifecycle_stage: 'known', purchases_count: 0, revenue: {}, claimed_purchases_count: 1, claimed_revenue: { EUR: 100 } },
    both: { lifecycle_stage: 'customer', purchases_count: 1, revenue: { EUR: 50 }, claimed_purchases_count: 1, claimed_revenue: { EUR: 30 } },
    // The merged-away profile's browser Purchase had counted on its survivor.
    survivor: { lifecycle_stage: 'customer', purchases_count: 1, revenue: { EUR: 30 }, claimed_purchases_count: 1, claimed_revenue: { USD: 5 } },
  })
  expect(await figures(profiles.anonymous)).toMatchObject({ lifecycle_stage: 'anonymous', purchases_count: 0, claimed_purchases_count: 1 })
})

test('a server source created before secret keys keeps its public key', async () => {
  const legacy = await db.selectFrom('sources').select(['source_key', 'secret_key_hash']).where('id', '=', legacyServer).executeTakeFirstOrThrow()
  expect(legacy).toEqual({ source_key: legacyKey, secret_key_hash: null })
  // Exactly one key per source, and a secret one only for backends.
  await expect(sql`UPDATE sources SET secret_key_hash = 'x' WHERE id = ${website}`.execute(db)).rejects.toThrow()
  await expect(sql`UPDATE sources SET source_key = NULL WHERE id = ${legacyServer}`.execute(db)).rejects.toThrow()
})
