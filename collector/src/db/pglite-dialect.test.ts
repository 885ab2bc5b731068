import { sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createDatabase, type StratumDatabase } from './create-database'

/** The embedded database's dialect, always on PGlite: the server's pool has no lease to hand on. */
let database: StratumDatabase
beforeAll(async () => {
  database = await createDatabase({})
})
afterAll(() => database.close())

test('the event loop turns between two transactions queued for the one connection', async () => {
  const finished: number[] = []
  const queue = Array.from({ length: 20 }, (_, i) =>
    database.db
      .transaction()
      .execute((trx) => sql`SELECT 1`.execute(trx))
      .then(() => finished.push(i)),
  )
  // What a request arriving over a socket waits for: a turn of the event loop.
  const turned = new Promise<number>((resolve) => setImmediate(() => resolve(finished.length)))
  const doneWhenTurned = await turned
  await Promise.all(queue)
  expect(finished).toEqual([...finished].sort((a, b) => a - b))
  expect(doneWhenTurned).toBeLessThan(3)
})

test('a lease is handed on in order, each transaction alone on the connection', async () => {
  const seen: string[] = []
  await Promise.all(
    [1, 2, 3].map((n) =>
      database.db.transaction().execute(async (trx) => {
        seen.push(`begin ${n}`)
        await sql`SELECT pg_sleep(0.01)`.execute(trx)
        seen.push(`end ${n}`)
      }),
    ),
  )
  expect(seen).toEqual(['begin 1', 'end 1', 'begin 2', 'end 2', 'begin 3', 'end 3'])
})
