import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../testing/test-database'
import type { StratumDatabase } from '../db/create-database'
import { withTenant } from '../db/with-tenant'
import { missingFieldGainsQuery } from './missing-field-gains'
import { emqDistributionQuery, loadEmqDistributions } from './signal-health'
import type { SignalWindow } from './signal-windows'

const TENANT = crypto.randomUUID()
const NEIGHBOUR = crypto.randomUUID()
const SOURCE = crypto.randomUUID()
const ROWS_PER_TENANT = 10_000
const DAYS = 60
const WINDOWS: SignalWindow[] = ['24h', '7d']

let database: StratumDatabase
// Mid-month, where the current partition holds the whole 7-day window, as it
// does for three weeks of a month. Minutes after the 1st it holds a handful of rows, which the planner
// rightly reads in full: "now" at the real clock made the plan assertions fail once a month.
const today = new Date()
const now = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 15, 12))

/**
 * Two tenants' events, received evenly over 60 days and stored in receipt
 * order as ingest stores them, with scores 0.0–99.9. Inserted as the owner:
 * the app role may only insert through ingest.
 */
async function seed(tenantId: string) {
  await sql`
    INSERT INTO events (tenant_id, event_time, event_id, source_id, event_name, received_at, emq, emq_breakdown)
    SELECT ${tenantId}::uuid, r, gen_random_uuid(),
      CASE WHEN g % 2 = 0 THEN ${SOURCE}::uuid END, 'PageView', r,
      (g % 1000) / 10.0, '{"iq": 0, "dc": 0, "t": 20, "cr": 0}'::jsonb
    FROM (
      SELECT g, ${now}::timestamptz - make_interval(secs => (${DAYS * 86_400}::float8 * g) / ${ROWS_PER_TENANT}) AS r
      FROM generate_series(${ROWS_PER_TENANT}::int, 1, -1) g
    ) s
  `.execute(database.db)
}

beforeAll(async () => {
  database = await createTestDatabase()
  for (const tenant of [TENANT, NEIGHBOUR]) await seed(tenant)
  // What autovacuum does on a live table: statistics, and a visibility map
  // that lets the index answer without visiting the heap.
  await sql`VACUUM (ANALYZE) events`.execute(database.db)
})
afterAll(async () => {
  await database.db.deleteFrom('events').where('tenant_id', 'in', [TENANT, NEIGHBOUR]).execute()
  await database.close()
})

/** EXPLAIN as a request runs it: in the tenant's transaction, as the RLS role. */
async function explain(query: ReturnType<typeof sql>) {
  const { rows } = await withTenant(database.db, TENANT, (trx) =>
    sql<{ 'QUERY PLAN': string }>`EXPLAIN ${query}`.execute(trx),
  )
  return rows.map((r) => r['QUERY PLAN']).join('\n')
}

describe('signal health at volume', () => {
  it('counts exactly what each window received', async () => {
    const d = await withTenant(database.db, TENANT, (trx) =>
      loadEmqDistributions(trx, TENANT, { now, windows: WINDOWS, perSource: true }),
    )
    // Row g is received g · 60 d / 10 000 = g · 518.4 s before now.
    const inWindow = (days: number) => Math.floor((days * ROWS_PER_TENANT) / DAYS)
    expect(d.tenant['24h'].events).toBe(inWindow(1))
    expect(d.tenant['7d'].events).toBe(inWindow(7))
    expect(d.sources.get(SOURCE)!['7d'].events + d.sources.get(null)!['7d'].events).toBe(inWindow(7))
  })

  it("derives mean, percentiles and bands exactly as PostgreSQL's own aggregates would", async () => {
    const d = await withTenant(database.db, TENANT, (trx) =>
      loadEmqDistributions(trx, TENANT, { now, windows: WINDOWS, perSource: false }),
    )
    for (const window of WINDOWS) {
      const since = new Date(now.getTime() - (window === '24h' ? 1 : 7) * 86_400_000)
      const { rows } = await sql<{ mean: number; pct: number[]; excellent: number; poor: number }>`
        SELECT avg(round(emq::numeric, 1))::float8 AS mean,
          percentile_cont(ARRAY[0.1, 0.5, 0.9]) WITHIN GROUP (ORDER BY round(emq::numeric, 1)::float8) AS pct,
          (count(*) FILTER (WHERE emq >= 80))::int AS excellent, (count(*) FILTER (WHERE emq < 40))::int AS poor
        FROM events WHERE tenant_id = ${TENANT}::uuid AND received_at >= ${since}::timestamptz AND received_at <= ${now}::timestamptz
      `.execute(database.db)
      const truth = rows[0]!
      const got = d.tenant[window]
      expect(got.meanEmq, window).toBeCloseTo(truth.mean, 9)
      expect([got.p10, got.p50, got.p90], window).toEqual(truth.pct.map((p) => expect.closeTo(Number(p), 9)))
      expect([got.bands.excellent, got.bands.poor], window).toEqual([truth.excellent, truth.poor])
    }
  })

  it('reads the distribution from events_emq_window alone (index-only scan)', async () => {
    const plan = await explain(emqDistributionQuery(TENANT, { now, windows: WINDOWS, perSource: true }))
    expect(plan).toMatch(/Index Only Scan using events_\d{4}_\d{2}_tenant_id_received_at_\w*idx/)
    // No partition holding the tenant's recent events is read in full.
    expect(plan).not.toMatch(new RegExp(`Seq Scan on ${partitionOf(now)}\\b`))
  })

  it('takes the newest events for gains with a backward index scan and a limit', async () => {
    // A sample smaller than the 7-day window, as at volume, so that the limit bites.
    const plan = await explain(missingFieldGainsQuery(TENANT, { now, windows: WINDOWS, top: 5, limit: 100 }))
    expect(plan).toMatch(/Limit[^\n]*\n\s*->\s+Merge Append/)
    expect(plan).toMatch(new RegExp(`Index Scan Backward using ${partitionOf(now)}_tenant_id_received_at_\\w*idx`))
    expect(plan).not.toMatch(new RegExp(`Seq Scan on ${partitionOf(now)}\\b`))
  })
})

function partitionOf(date: Date) {
  return `events_${date.getUTCFullYear()}_${String(date.getUTCMonth() + 1).padStart(2, '0')}`
}
