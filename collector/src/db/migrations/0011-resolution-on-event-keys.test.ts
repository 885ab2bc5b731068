import { randomUUID } from 'node:crypto'
import { type Kysely, Migrator, sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createDatabase, type StratumDatabase } from '../create-database'
import { migrate, migrationProvider } from '../migrate'
import { ensureEventPartitions } from '../partitions'
import type { Database } from '../schema'

/**
 * The migration on events stored before it, one resolved and one pending.
 * On a fresh embedded database: it needs the schema as it was.
 */
let database: StratumDatabase
let db: Kysely<Database>
const tenant = randomUUID()
const profile = randomUUID()
const resolved = randomUUID()
const pending = randomUUID()
const migrator = () => new Migrator({ db, provider: migrationProvider })

beforeAll(async () => {
  database = await createDatabase({})
  db = database.db
  const { error } = await migrator().migrateTo('0010-live-watchers')
  if (error) throw error
  await ensureEventPartitions(db, { monthsBack: 1, monthsAhead: 1 })
  const now = new Date()
  await sql`INSERT INTO tenants (id, name) VALUES (${tenant}, 'T')`.execute(db)
  await sql`INSERT INTO event_keys (tenant_id, event_id, event_time, received_at) VALUES
    (${tenant}, ${resolved}, ${now}, ${now}), (${tenant}, ${pending}, ${now}, ${now})`.execute(db)
  await sql`INSERT INTO events (tenant_id, event_time, event_id, profile_id, event_name, received_at) VALUES
    (${tenant}, ${now}, ${resolved}, ${profile}, 'PageView', ${now}), (${tenant}, ${now}, ${pending}, NULL, 'Lead', ${now})`.execute(db)
  await migrate(db, { retentionMonths: 13 })
})
afterAll(() => database.close())

const keys = async () =>
  (await sql<{ event_id: string; profile_id: string | null; seq: string }>`
    SELECT event_id, profile_id, seq::text FROM event_keys WHERE tenant_id = ${tenant} ORDER BY seq`.execute(db)).rows
const columns = async (table: string) =>
  (await sql<{ column_name: string }>`
    SELECT column_name FROM information_schema.columns WHERE table_name = ${table}`.execute(db)).rows.map((r) => r.column_name)

test('each key takes its event’s profile and arrival order; the event keeps neither', async () => {
  expect(await keys()).toEqual([
    { event_id: resolved, profile_id: profile, seq: expect.any(String) },
    { event_id: pending, profile_id: null, seq: expect.any(String) },
  ])
  expect(await columns('events')).not.toContain('profile_id')
  expect(await columns('events')).not.toContain('seq')
  const { rows } = await sql<{ indexname: string }>`SELECT indexname FROM pg_indexes WHERE tablename IN ('events', 'event_keys')`.execute(db)
  const indexes = rows.map((r) => r.indexname)
  expect(indexes).toEqual(expect.arrayContaining(['event_keys_pending', 'event_keys_journey']))
  expect(indexes).not.toContain('events_pending')
  expect(indexes).not.toContain('events_profile_journey')
})

test('a key claimed after it is numbered after the keys before it', async () => {
  const now = new Date()
  const later = randomUUID()
  await sql`INSERT INTO event_keys (tenant_id, event_id, event_time, received_at) VALUES (${tenant}, ${later}, ${now}, ${now})`.execute(db)
  const order = await keys()
  expect(order.map((k) => k.event_id)).toEqual([resolved, pending, later])
  await sql`DELETE FROM event_keys WHERE event_id = ${later}`.execute(db)
})

test('down gives the events their profile and order back', async () => {
  const { error } = await migrator().migrateTo('0010-live-watchers')
  if (error) throw error
  const { rows } = await sql<{ event_id: string; profile_id: string | null; seq: string | null }>`
    SELECT event_id, profile_id, seq::text FROM events WHERE tenant_id = ${tenant} ORDER BY seq`.execute(db)
  expect(rows).toEqual([
    { event_id: resolved, profile_id: profile, seq: expect.any(String) },
    { event_id: pending, profile_id: null, seq: expect.any(String) },
  ])
  expect(await columns('event_keys')).not.toContain('profile_id')
})
