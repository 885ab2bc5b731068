import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestDatabase } from '../testing/test-database'
import type { StratumDatabase } from './create-database'
import { dropExpiredPartitions, ensureEventPartitions, monthStarts, partitionName } from './partitions'

let database: StratumDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.close())

async function partitions(): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'events'::regclass`.execute(database.db)
  return rows.map((r) => r.name)
}

describe('monthly partitions', () => {
  test('names and month starts are UTC calendar months', () => {
    expect(partitionName(2026, 0)).toBe('events_2026_01')
    expect(partitionName(2025, 11)).toBe('events_2025_12')
    const months = monthStarts(new Date('2026-01-31T23:59:59Z'), 1, 1).map((d) => d.toISOString())
    expect(months).toEqual(['2025-12-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'])
  })

  test('migration created the retention window and two months ahead', async () => {
    const existing = await partitions()
    for (const start of monthStarts(new Date(), 13, 2)) {
      expect(existing).toContain(partitionName(start.getUTCFullYear(), start.getUTCMonth()))
    }
  })

  test('ensureEventPartitions is idempotent', async () => {
    const before = (await partitions()).sort()
    await ensureEventPartitions(database.db, { monthsBack: 1, monthsAhead: 2 })
    await ensureEventPartitions(database.db, { monthsBack: 1, monthsAhead: 2 })
    expect((await partitions()).sort()).toEqual(before)
  })

  test('dropExpiredPartitions drops whole months past retention and their events\' keys, nothing else', async () => {
    const tenant = randomUUID()
    const old = new Date()
    old.setUTCMonth(old.getUTCMonth() - 36)
    const oldName = partitionName(old.getUTCFullYear(), old.getUTCMonth())
    await ensureEventPartitions(database.db, { now: old, monthsBack: 0, monthsAhead: 0 })
    expect(await partitions()).toContain(oldName)

    // Three events of the expired month and one of this month, each with its key, stored as the owner.
    const now = new Date()
    const keys = [old, old, old, now].map((at) => ({ tenant_id: tenant, event_id: randomUUID(), event_time: at, received_at: at }))
    await database.db.insertInto('tenants').values({ id: tenant, name: 'T' }).execute()
    await database.db.insertInto('event_keys').values(keys.map((k) => ({ ...k, trust: 'server' as const }))).execute()
    const empty = { identifiers: '[]', user_data: '{}', properties: '{}', context: '{}', warnings: '[]' }
    await database.db.insertInto('events').values(keys.map((k) => ({ ...k, ...empty, event_name: 'PageView', clock_corrected: false }))).execute()

    // One key per statement: the walk along the partition's primary key goes on past its first batch.
    const { dropped, keysDeleted } = await dropExpiredPartitions(database.db, { retentionMonths: 13, batchSize: 1 })
    // Another collector's maintenance (sharing a PostgreSQL server) may have beaten us to it.
    if (dropped.length > 0) expect(dropped).toContain(oldName)
    expect(keysDeleted).toBeGreaterThanOrEqual(dropped.length > 0 ? 3 : 0)
    const remaining = await partitions()
    expect(remaining).not.toContain(oldName)
    expect(remaining).toContain(partitionName(now.getUTCFullYear(), now.getUTCMonth()))
    const retention = monthStarts(now, 12, 2).map((d) => partitionName(d.getUTCFullYear(), d.getUTCMonth()))
    for (const name of retention) expect(remaining).toContain(name)
    const left = await database.db.selectFrom('event_keys').select('event_id').where('tenant_id', '=', tenant).execute()
    expect(left.map((k) => k.event_id)).toEqual([keys[3]!.event_id])
  })

  test('event_keys keeps no index on time: retention walks the expiring partitions instead', async () => {
    const { rows } = await sql<{ indexname: string }>`SELECT indexname FROM pg_indexes WHERE tablename = 'event_keys'`.execute(database.db)
    expect(rows.map((r) => r.indexname).sort()).toEqual(['event_keys_journey', 'event_keys_pending', 'event_keys_pkey'])
  })

  test('only months that end before the cut-off are dropped', async () => {
    const cutoff = new Date()
    cutoff.setUTCMonth(cutoff.getUTCMonth() - 13)
    for (const name of (await dropExpiredPartitions(database.db, { retentionMonths: 13, batchSize: 5000 })).dropped) {
      const [, year, month] = /^events_(\d{4})_(\d{2})$/.exec(name)!
      expect(Date.UTC(Number(year), Number(month), 1)).toBeLessThanOrEqual(cutoff.getTime())
    }
    expect(await dropExpiredPartitions(database.db, { retentionMonths: 13, batchSize: 5000 })).toEqual({ dropped: [], keysDeleted: 0 })
  })
})
