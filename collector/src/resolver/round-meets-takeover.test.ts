import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { describe, expect, test } from 'vitest'
import { withTenant } from '../db/with-tenant'
import { claimEventIds } from '../ingest/claim-event-ids'
import type { EventRow } from '../ingest/event-rows'
import { insertEvents } from '../ingest/insert-events'
import { replaceBrowserCopies } from '../ingest/replace-browser-copies'
import { useTestApp } from '../testing/use-test-app'
import { resolvePending } from './resolve-pending'

/**
 * A resolver round that reaches a browser's pending event while a backend
 * takes its id over (collector/docs/pipeline.md, "Locks"). Needs two
 * connections at once, so PostgreSQL only: PGlite has one.
 */
const app = useTestApp()

const row = (eventId: string, eventTime: Date, identifiers: object[]): EventRow => ({
  index: 0, eventId, eventTime, eventName: 'Purchase', actionSource: null, identifiers: JSON.stringify(identifiers),
  identifierTypes: [], userData: '{}', properties: '{"value":10,"currency":"EUR"}', context: '{}', consent: null, clientIp: null,
  userAgent: null, sessionId: null, emq: 50, emqBreakdown: '{}', warnings: [],
})
const id = (type: string, value: string) => ({ type, value, status: 'valid' })

/** Resolves once PostgreSQL shows some session waiting for a row lock. */
async function someoneWaitsForALock() {
  for (let i = 0; i < 200; i++) {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted`.execute(app.t.database.db)
    if (rows[0]!.n > 0) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error('no session ever waited for a lock')
}

describe.skipIf(!process.env.DATABASE_URL)('a round meets a backend taking over a pending browser event', () => {
  test('the round waits for the takeover, then resolves the backend copy by its own identifiers, never the browser’s', async () => {
    const tenant = randomUUID()
    const eventId = randomUUID()
    const time = new Date()
    const anon = `anon_${randomUUID()}`
    const crm = `crm_${randomUUID()}`
    await sql`INSERT INTO tenants (id, name) VALUES (${tenant}, 'T')`.execute(app.t.database.db)
    // The browser's copy, appended and still pending.
    await withTenant(app.t.database.db, tenant, async (trx) => {
      await claimEventIds(trx, tenant, 'browser', [{ eventId, eventTime: time }], time)
      await insertEvents(trx, { tenantId: tenant, sourceId: null, receivedAt: time, sentAt: null, clockCorrected: false }, [
        row(eventId, time, [id('anonymous_id', anon)]),
      ])
    })

    let round: ReturnType<typeof resolvePending> | undefined
    await withTenant(app.t.database.db, tenant, async (trx) => {
      // The backend claims the id first: the key is now locked by this transaction.
      const { takeovers } = await claimEventIds(trx, tenant, 'server', [{ eventId, eventTime: time }], time)
      expect(takeovers.size).toBe(1)
      round = resolvePending(app.t.database.db, tenant, 100)
      await someoneWaitsForALock()
      await replaceBrowserCopies(trx, tenant, takeovers, time)
      await insertEvents(trx, { tenantId: tenant, sourceId: null, receivedAt: time, sentAt: null, clockCorrected: false }, [
        row(eventId, time, [id('external_id', crm)]),
      ])
    })
    expect(await round).toMatchObject({ status: 'done', resolved: 1 })
    expect(await resolvePending(app.t.database.db, tenant, 100)).toMatchObject({ status: 'done', resolved: 0 })
    const { rows } = await sql<{ type: string; trust: string; events_count: number }>`
      SELECT i.type, k.trust, p.events_count FROM event_keys AS k
      JOIN profiles AS p ON p.tenant_id = k.tenant_id AND p.id = k.profile_id
      JOIN identifiers AS i ON i.tenant_id = p.tenant_id AND i.profile_id = p.id
      WHERE k.tenant_id = ${tenant} AND k.event_id = ${eventId}`.execute(app.t.database.db)
    expect(rows).toEqual([{ type: 'external_id', trust: 'server', events_count: 1 }])
  })
})
