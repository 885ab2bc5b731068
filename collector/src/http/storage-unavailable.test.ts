import { sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createApp } from '../app'
import { createTestApp, type TestApp } from '../testing/test-app'

let t: TestApp
let app: ReturnType<typeof createApp>
beforeAll(async () => {
  t = await createTestApp()
  // The real app (its error handler), with routes that fail the way storage does.
  app = createApp({ db: t.database.db, config: t.config })
  // A sort that must spill to disk, in a transaction allowed almost no temporary file: PostgreSQL's own 53400.
  app.get('/exhausted', async (c) => {
    await t.database.db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('work_mem', '64kB', true), set_config('temp_file_limit', '64kB', true)`.execute(trx)
      await sql`SELECT count(*) FROM (SELECT g FROM generate_series(1, 200000) AS g ORDER BY g DESC) AS s`.execute(trx)
    })
    return c.text('unreachable')
  })
  // The driver's error as it reaches the handler: a SQLSTATE in `code`, sometimes wrapped.
  app.get('/sqlstate/:code', (c) => {
    throw Object.assign(new Error('resource exhausted'), { code: c.req.param('code') })
  })
  app.get('/wrapped/:code', (c) => {
    throw new Error('query failed', { cause: Object.assign(new Error('resource exhausted'), { code: c.req.param('code') }) })
  })
})
afterAll(() => t.close())

/** A 503 `storage_busy` in the error shape, with a numeric Retry-After, and no SQL text. */
async function expectBusy(res: Response) {
  expect(res.status).toBe(503)
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
  const body = await res.json()
  expect(body).toEqual({ error: { code: 'storage_busy', message: expect.any(String), details: [] } })
  expect(JSON.stringify(body)).not.toMatch(/temp_file_limit|exhausted/)
}

test('the database running out of a resource (SQLSTATE 53400, for real) → 503 storage_busy with Retry-After', async () => {
  await expectBusy(await app.request('/exhausted'))
})

test.each(['53000', '53100', '53200', '53300', '53400'])('SQLSTATE %s, bare or wrapped → 503 storage_busy', async (code) => {
  await expectBusy(await app.request(`/sqlstate/${code}`))
  await expectBusy(await app.request(`/wrapped/${code}`))
})

test('other SQLSTATEs keep their meaning: a lost connection is unavailable, a bug is a 500', async () => {
  const lost = await app.request('/sqlstate/08006')
  expect([lost.status, (await lost.json()).error.code]).toEqual([503, 'storage_unavailable'])
  const bug = await app.request('/sqlstate/42703')
  expect([bug.status, (await bug.json()).error.code]).toEqual([500, 'internal_error'])
})
