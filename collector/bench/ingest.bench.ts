/**
 * Ingest throughput: 100-event batches through the real app (auth,
 * validation, identity resolution, EMQ, one transaction per batch) against a
 * baseline measured in the same run on the same database: the same rows
 * written by one plain multi-row INSERT per batch. The ratio says what
 * everything beyond the bare write costs, whatever the machine's noise.
 *
 *   pnpm bench                                  # embedded PGlite
 *   DATABASE_URL=postgres://… pnpm bench        # PostgreSQL server
 */
import { sql } from 'kysely'
import { createApp } from '../src/app'
import { mintToken } from '../src/auth/mint-token'
import { loadConfig } from '../src/config'
import { createDatabase } from '../src/db/create-database'
import { migrate } from '../src/db/migrate'

const BATCHES = Number(process.env.BENCH_BATCHES ?? 30)
const BATCH_SIZE = 100
const secret = 'bench-secret-that-is-at-least-32-characters'

function batch(b: number) {
  return Array.from({ length: BATCH_SIZE }, (_, i) => {
    // A returning population: each person appears in several batches.
    const person = (b * 37 + i) % 1500
    return {
      event_id: crypto.randomUUID(),
      event_name: i % 10 === 0 ? 'Purchase' : 'PageView',
      event_time: new Date(Date.now() - (BATCHES - b) * 1000).toISOString(),
      action_source: 'website',
      identifiers: [
        { type: 'anonymous_id', value: `anon-${person}` },
        ...(person % 3 === 0 ? [{ type: 'email', value: `person${person}@shop.io` }] : []),
      ],
      properties: i % 10 === 0 ? { value: 10, currency: 'EUR', order_id: `o-${b}-${i}` } : { path: `/p/${i}` },
      context: { page: { url: `https://shop.example/p/${i}` }, session_id: `s-${person}-${b % 3}`, locale: 'en-US' },
    }
  })
}

async function main() {
  const database = await createDatabase({ databaseUrl: process.env.DATABASE_URL })
  await migrate(database.db, { retentionMonths: 13 })
  const config = loadConfig({ STRATUM_JWT_SECRET: secret, STRATUM_LOG: 'off' })
  const app = createApp({ db: database.db, config })
  const tenantId = crypto.randomUUID()
  const token = await mintToken({ secret, tenantId, scopes: ['events:write'] })
  const batches = Array.from({ length: BATCHES }, (_, b) => batch(b))

  await sql`CREATE TEMP TABLE IF NOT EXISTS bench_baseline (id uuid, t timestamptz, body jsonb)`.execute(database.db)
  const baselineStart = performance.now()
  for (const events of batches) {
    const rows = JSON.stringify(events.map((e) => ({ id: e.event_id, t: e.event_time, body: e })))
    await sql`INSERT INTO bench_baseline SELECT * FROM jsonb_to_recordset(${rows}::jsonb) AS r(id uuid, t timestamptz, body jsonb)`.execute(
      database.db,
    )
  }
  const baselineMs = performance.now() - baselineStart

  const ingestStart = performance.now()
  for (const events of batches) {
    const res = await app.request('/api/v1/cdp/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    })
    if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`)
  }
  const ingestMs = performance.now() - ingestStart
  await database.close()

  const total = BATCHES * BATCH_SIZE
  const rate = (ms: number) => Math.round((total / ms) * 1000)
  console.log(`ingest bench on ${database.kind}: ${BATCHES} batches × ${BATCH_SIZE} events`)
  console.log(`  baseline (bare INSERT):  ${rate(baselineMs)} events/s`)
  console.log(`  full ingest:             ${rate(ingestMs)} events/s`)
  console.log(`  ratio ingest/baseline:   ${(ingestMs / baselineMs).toFixed(1)}× the time of a bare write`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
