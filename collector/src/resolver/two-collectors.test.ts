import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { mintToken } from '../auth/mint-token'
import { SCOPES } from '../auth/scopes'
import { createDatabase, type StratumDatabase } from '../db/create-database'
import { migrate } from '../db/migrate'
import { type CollectorProcess, startCollector } from '../testing/collector-process'
import { TEST_SECRET } from '../testing/test-app'

/**
 * Two collector processes on one PostgreSQL (collector/docs/scaling.md):
 * every batch is sent to both at once, and one of them is killed while its
 * resolver works. The result must be exactly once: each event stored once,
 * each person one profile, every aggregate counted once.
 */
const url = process.env.DATABASE_URL
const PEOPLE = 40
const EVENTS_PER_PERSON = 5

let database: StratumDatabase
const collectors: CollectorProcess[] = []
const tenant = randomUUID()

beforeAll(async () => {
  if (!url) return
  database = await createDatabase({ databaseUrl: url, maxConnections: 2 })
  await migrate(database.db, { retentionMonths: 13 })
  const env = { DATABASE_URL: url, STRATUM_JWT_SECRET: TEST_SECRET, STRATUM_RESOLVER_SWEEP_MS: '200', STRATUM_RESOLVER_BATCH: '10' }
  // One at a time, so that a start that fails leaves the other to be stopped.
  for (let i = 0; i < 2; i++) collectors.push(await startCollector(env, 'build'))
}, 120_000)
afterAll(async () => {
  await Promise.all(collectors.map((c) => c.stop()))
  await database?.close()
})

/** A person's events link anonymous id → email → phone → external id, so any order converges on one profile. */
function eventsOf(person: number) {
  const anon = { type: 'anonymous_id', value: `anon-${tenant}-${person}` }
  const email = { type: 'email', value: `two-${person}@shop.io` }
  const phone = { type: 'phone', value: `+49151${String(10_000_000 + person)}` }
  const ext = { type: 'external_id', value: `crm-${person}` }
  const at = (minutes: number) => new Date(Date.now() - (60 - minutes) * 60_000).toISOString()
  const chain = [[anon], [anon, email], [email, phone], [phone, ext], [ext, anon]]
  return chain.map((identifiers, i) => ({
    event_id: randomUUID(),
    event_name: i === 3 ? 'Purchase' : 'PageView',
    event_time: at(i),
    identifiers,
    properties: i === 3 ? { value: 10, currency: 'EUR' } : {},
    context: { session_id: `s-${person}` },
  }))
}

const count = async (query: ReturnType<typeof sql<{ n: number }>>) => (await query.execute(database.db)).rows[0]!.n

describe.skipIf(!url)('two collector processes on one PostgreSQL', () => {
  test('every batch sent to both, one killed mid-resolution: each event once, one profile per person, aggregates once', async () => {
    const token = await mintToken({ secret: TEST_SECRET, tenantId: tenant, scopes: SCOPES })
    const events = Array.from({ length: PEOPLE }, (_, p) => eventsOf(p))
      .flat()
      .sort((a, b) => a.event_id.localeCompare(b.event_id))
    const batches: (typeof events)[] = []
    for (let i = 0; i < events.length; i += 20) batches.push(events.slice(i, i + 20))
    const post = async (collector: CollectorProcess, batch: unknown[]) => {
      const res = await fetch(`${collector.url}/api/v1/cdp/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: batch }),
      })
      expect(res.status).toBe(200)
      return (await res.json()) as { accepted: number; duplicates: number }
    }
    const answers = await Promise.all(batches.flatMap((batch) => collectors.map((c) => post(c, batch))))
    expect(answers.reduce((n, a) => n + a.accepted, 0)).toBe(events.length)
    expect(answers.reduce((n, a) => n + a.duplicates, 0)).toBe(events.length)

    // A crash while the backlog is being resolved; the survivor's sweep takes over.
    await collectors[0]!.kill()
    const deadline = Date.now() + 60_000
    const pending = () => count(sql<{ n: number }>`SELECT count(*)::int AS n FROM event_keys WHERE tenant_id = ${tenant} AND profile_id IS NULL`)
    while ((await pending()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    expect(await pending()).toBe(0)

    expect(await count(sql<{ n: number }>`SELECT count(*)::int AS n FROM events WHERE tenant_id = ${tenant}`)).toBe(events.length)
    const { rows: people } = await sql<{ events: number; purchases: number; sessions: number; stage: string; holders: number }>`
      SELECT p.events_count AS events, p.purchases_count AS purchases, p.sessions_count AS sessions, p.lifecycle_stage AS stage,
        (SELECT count(DISTINCT i.type)::int FROM identifiers AS i WHERE i.tenant_id = p.tenant_id AND i.profile_id = p.id) AS holders
      FROM profiles AS p WHERE p.tenant_id = ${tenant} AND p.merged_into IS NULL
    `.execute(database.db)
    expect(people).toHaveLength(PEOPLE)
    for (const person of people) {
      expect(person).toEqual({ events: EVENTS_PER_PERSON, purchases: 1, sessions: 1, stage: 'customer', holders: 4 })
    }
  }, 180_000)
})
