import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createTestDatabase } from '../testing/test-database'
import type { StratumDatabase } from './create-database'
import { deletePartitionKeys } from './delete-partition-keys'

let database: StratumDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.close())

/** Stands in for an expired partition: the walk reads only its primary key. No collector's retention run drops it. */
const partition = `keys_walk_${randomUUID().replaceAll('-', '')}`

test("deletes the keys of the partition's events, batch after batch, and no other key", async () => {
  const tenants = [randomUUID(), randomUUID()]
  await database.db.insertInto('tenants').values(tenants.map((id) => ({ id, name: 'T' }))).execute()
  const now = new Date()
  const key = (tenant_id: string) => ({ tenant_id, event_id: randomUUID(), event_time: now, received_at: now, trust: 'server' as const })
  const expired = [...tenants, ...tenants, tenants[0]!].map(key)
  const kept = tenants.map(key)
  await database.db.insertInto('event_keys').values([...expired, ...kept]).execute()
  await sql`CREATE TABLE ${sql.table(partition)} (tenant_id uuid, event_id uuid, PRIMARY KEY (tenant_id, event_id))`.execute(database.db)
  const ids = expired.map((k) => k.event_id)
  await sql`INSERT INTO ${sql.table(partition)} SELECT tenant_id, event_id FROM event_keys WHERE event_id = ANY(${ids}::uuid[])`.execute(database.db)

  // Five events in batches of two: three statements, the last one short.
  expect(await deletePartitionKeys(database.db, partition, 2)).toBe(5)
  const left = await database.db.selectFrom('event_keys').select('event_id').where('tenant_id', 'in', tenants).execute()
  expect(left.map((k) => k.event_id).sort()).toEqual(kept.map((k) => k.event_id).sort())
  expect(await deletePartitionKeys(database.db, partition, 2)).toBe(0)
  await sql`DROP TABLE ${sql.table(partition)}`.execute(database.db)
})

test('a partition another collector has dropped meanwhile has nothing left to delete', async () => {
  expect(await deletePartitionKeys(database.db, partition, 2)).toBe(0)
})
