import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createSourceKey } from '../auth/source-key'
import { createTestDatabase } from '../testing/test-database'
import type { StratumDatabase } from './create-database'
import { withTenant } from './with-tenant'

let database: StratumDatabase
const tenant = randomUUID()

beforeAll(async () => {
  database = await createTestDatabase()
  await database.db.insertInto('tenants').values({ id: tenant, name: 'T' }).execute()
})
afterAll(() => database.close())

test('JSON columns written as text come back as the same objects, on either driver', async () => {
  const now = new Date()
  const eventId = randomUUID()
  const properties = { value: 129.5, nested: { list: [1, 'two', null] }, quote: `it's "fine"` }
  await withTenant(database.db, tenant, async (trx) => {
    await trx.insertInto('profiles').values({ tenant_id: tenant, id: eventId }).execute()
    await trx
      .insertInto('events')
      .values({
        tenant_id: tenant,
        event_time: now,
        event_id: eventId,
        source_id: null,
        event_name: 'Purchase',
        action_source: null,
        received_at: now,
        sent_at: null,
        clock_corrected: false,
        identifiers: JSON.stringify([{ type: 'email', value: 'a'.repeat(64), status: 'valid' }]),
        user_data: '{}',
        properties: JSON.stringify(properties),
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
  const row = await database.db
    .selectFrom('events')
    .select(['properties', 'identifiers', 'warnings'])
    .where('event_id', '=', eventId)
    .executeTakeFirstOrThrow()
  expect(row.properties).toEqual(properties)
  expect(row.identifiers).toEqual([{ type: 'email', value: 'a'.repeat(64), status: 'valid' }])
  expect(row.warnings).toEqual([])
  // Stored as a JSON object, not as a JSON string holding the text.
  const { rows } = await sql<{ kind: string }>`SELECT jsonb_typeof(properties) AS kind FROM events WHERE event_id = ${eventId}`.execute(
    database.db,
  )
  expect(rows[0]!.kind).toBe('object')
})

test('UPDATE and DELETE report how many rows they touched, on either driver', async () => {
  const ids = [randomUUID(), randomUUID(), randomUUID()]
  const result = await withTenant(database.db, tenant, async (trx) => {
    await trx.insertInto('profiles').values(ids.map((id) => ({ tenant_id: tenant, id }))).execute()
    const updated = await trx.updateTable('profiles').set({ events_count: 7 }).where('id', 'in', ids).executeTakeFirst()
    const deleted = await trx.deleteFrom('profiles').where('id', '=', ids[0]!).executeTakeFirst()
    const none = await trx.deleteFrom('profiles').where('id', '=', randomUUID()).executeTakeFirst()
    return { updated: updated.numUpdatedRows, deleted: deleted.numDeletedRows, none: none.numDeletedRows }
  })
  expect(result).toEqual({ updated: 3n, deleted: 1n, none: 0n })
})

test('concurrent transactions do not interleave (PGlite is one connection)', async () => {
  const key = createSourceKey(tenant)
  // Each transaction inserts, waits, then fails; a leaked statement of one
  // would land in the other's transaction and survive its rollback.
  const attempts = Array.from({ length: 5 }, (_, i) =>
    withTenant(database.db, tenant, async (trx) => {
      await trx
        .insertInto('sources')
        .values({ tenant_id: tenant, name: `s${i}`, source_type: 'website', source_key: `${key}${i}`, allowed_origins: [] })
        .execute()
      await new Promise((resolve) => setTimeout(resolve, 5))
      if (i % 2 === 0) throw new Error('roll back')
    }).catch(() => 'rolled back'),
  )
  await Promise.all(attempts)
  const names = await withTenant(database.db, tenant, (trx) => trx.selectFrom('sources').select('name').orderBy('name').execute())
  expect(names.map((n) => n.name)).toEqual(['s1', 's3'])
})
