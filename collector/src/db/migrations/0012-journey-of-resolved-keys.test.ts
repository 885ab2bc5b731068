import { randomUUID } from 'node:crypto'
import { type RawBuilder, sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createTestDatabase } from '../../testing/test-database'
import type { StratumDatabase } from '../create-database'

/**
 * The journey index leaves pending keys out; the readers that ask for given
 * profiles must still find it, on both databases.
 */
let database: StratumDatabase
const tenant = randomUUID()
const profiles = [randomUUID(), randomUUID()]

beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.close())

/** The indexes a statement's plan reads, with sequential scans priced out so that an index the planner may use is used. */
async function indexesRead(query: RawBuilder<unknown>): Promise<string[]> {
  return database.db.transaction().execute(async (trx) => {
    await sql`SET LOCAL enable_seqscan = off`.execute(trx)
    const { rows } = await sql<{ 'QUERY PLAN': unknown }>`EXPLAIN (FORMAT JSON) ${query}`.execute(trx)
    return [...JSON.stringify(rows[0]!['QUERY PLAN']).matchAll(/"Index Name":"([^"]+)"/g)].map((m) => m[1]!)
  })
}

test('the journey index holds resolved keys only', async () => {
  const { rows } = await sql<{ indexdef: string }>`
    SELECT indexdef FROM pg_indexes WHERE indexname = 'event_keys_journey'`.execute(database.db)
  expect(rows[0]!.indexdef).toMatch(/WHERE \(profile_id IS NOT NULL\)$/)
})

test('a journey page of one profile family is read through it', async () => {
  const query = sql`SELECT event_id FROM event_keys
    WHERE tenant_id = ${tenant} AND profile_id IN (${profiles[0]}::uuid, ${profiles[1]}::uuid)
    ORDER BY event_time DESC, event_id DESC LIMIT 51`
  expect(await indexesRead(query)).toContain('event_keys_journey')
})

test('an erasure’s keys of a list of profiles are read through it', async () => {
  const query = sql`SELECT event_id FROM event_keys WHERE tenant_id = ${tenant} AND profile_id = ANY(${profiles}::uuid[])`
  expect(await indexesRead(query)).toContain('event_keys_journey')
})
