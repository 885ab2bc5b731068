import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createTestApp, newTenant, type TestApp } from '../testing/test-app'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

test('an erasure racing ingest of the same person leaves no event or identifier pointing at a deleted profile', async () => {
  const tenant = newTenant()
  const token = await t.token(tenant)
  const email = `jane.${randomUUID().slice(0, 8)}@shop.io`
  const send = (anon: string) =>
    t.call('POST', '/api/v1/cdp/events', {
      token,
      body: {
        events: [
          {
            event_name: 'PageView',
            event_time: new Date().toISOString(),
            identifiers: [
              { type: 'email', value: email },
              { type: 'anonymous_id', value: anon },
            ],
          },
        ],
      },
    })
  await send(`anon_${randomUUID()}`)
  // On PostgreSQL these run on separate connections and interleave; on PGlite they queue.
  const racing = Array.from({ length: 12 }, (_, i) =>
    i === 6
      ? t.call('POST', '/api/v1/cdp/erasure', { token, body: { identifier_type: 'email', identifier_value: email } })
      : send(`anon_${randomUUID()}`),
  )
  for (const res of await Promise.all(racing)) expect(res.status).toBe(200)

  const { rows } = await sql<{ orphans: string }>`
    SELECT (SELECT count(*) FROM event_keys AS k WHERE k.tenant_id = ${tenant}
              AND NOT EXISTS (SELECT 1 FROM profiles AS p WHERE p.tenant_id = k.tenant_id AND p.id = k.profile_id))
         + (SELECT count(*) FROM identifiers AS i WHERE i.tenant_id = ${tenant}
              AND NOT EXISTS (SELECT 1 FROM profiles AS p WHERE p.tenant_id = i.tenant_id AND p.id = i.profile_id)) AS orphans
  `.execute(t.database.db)
  expect(Number(rows[0]!.orphans)).toBe(0)
})
