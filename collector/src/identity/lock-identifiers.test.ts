import { randomUUID } from 'node:crypto'
import { sql, type Kysely, type Transaction } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { StratumDatabase } from '../db/create-database'
import type { Database } from '../db/schema'
import { createTestDatabase } from '../testing/test-database'
import { lockIdentifiers, MAX_IDENTIFIER_LOCKS } from './lock-identifiers'

/**
 * Advisory locks only mean something between connections: PGlite has one,
 * so these run on a PostgreSQL server (`DATABASE_URL`) only.
 */
const onServer = describe.skipIf(!process.env.DATABASE_URL)

let database: StratumDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database?.close())

const devices = (n: number, prefix: string = randomUUID()) => Array.from({ length: n }, (_, i) => ({ type: 'device_id', value: `${prefix}-${i}` }))
const one = (value: string) => [{ type: 'email', value }]

/** Advisory locks this transaction's connection holds. */
async function advisoryLocks(trx: Transaction<Database>) {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
  `.execute(trx)
  return rows[0]!.n
}

/** A transaction that takes locks, reports its pid, and stays open until `release()`. */
function holder(db: Kysely<Database>, lock: (trx: Transaction<Database>) => Promise<void>) {
  let release!: () => void
  const released = new Promise<void>((resolve) => {
    release = resolve
  })
  let reportPid!: (pid: number) => void
  const pid = new Promise<number>((resolve) => {
    reportPid = resolve
  })
  let locked = false
  const done = db.transaction().execute(async (trx) => {
    reportPid((await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx)).rows[0]!.pid)
    await lock(trx)
    locked = true
    await released
  })
  return { pid, done, release, isLocked: () => locked }
}

/** Resolves once `condition` holds: observed, never timed. */
async function until(condition: () => boolean | Promise<boolean>) {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 10))
}

/** Resolves once the backend `pid` waits for an advisory lock. */
async function waitsForLock(pid: number) {
  await until(async () => {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = ${pid} AND NOT granted
    `.execute(database.db)
    return rows[0]!.n > 0
  })
}

onServer('advisory locks on PostgreSQL', () => {
  test('two transactions locking 13,000 identifiers each at once both succeed, each with a bounded number of locks', async () => {
    const tenant = randomUUID()
    const counts = await Promise.all(
      [devices(13_000), devices(13_000)].map((ids) =>
        database.db.transaction().execute(async (trx) => {
          await lockIdentifiers(trx, tenant, ids)
          return advisoryLocks(trx)
        }),
      ),
    )
    for (const n of counts) expect(n).toBeLessThanOrEqual(MAX_IDENTIFIER_LOCKS + 1)
  })

  test('a small set takes one lock per identifier plus the shared tenant lock', async () => {
    const n = await database.db.transaction().execute(async (trx) => {
      await lockIdentifiers(trx, randomUUID(), devices(MAX_IDENTIFIER_LOCKS))
      return advisoryLocks(trx)
    })
    expect(n).toBe(MAX_IDENTIFIER_LOCKS + 1)
  })

  test('two small sets sharing an identifier serialise', async () => {
    const tenant = randomUUID()
    const first = holder(database.db, (trx) => lockIdentifiers(trx, tenant, [...one('shared'), ...one('a')]))
    await until(() => first.isLocked())
    const second = holder(database.db, (trx) => lockIdentifiers(trx, tenant, [...one('b'), ...one('shared')]))
    await waitsForLock(await second.pid)
    expect(second.isLocked()).toBe(false)
    first.release()
    await first.done
    await until(() => second.isLocked())
    second.release()
    await second.done
  })

  test('two small sets with nothing in common hold their locks at the same time', async () => {
    const tenant = randomUUID()
    const first = holder(database.db, (trx) => lockIdentifiers(trx, tenant, one('x')))
    const second = holder(database.db, (trx) => lockIdentifiers(trx, tenant, one('y')))
    await until(() => first.isLocked() && second.isLocked())
    first.release()
    second.release()
    await Promise.all([first.done, second.done])
  })

  test('a large set excludes a small one holding one of its identifiers, and the reverse', async () => {
    const tenant = randomUUID()
    const large = devices(MAX_IDENTIFIER_LOCKS + 1)
    for (const [a, b] of [
      [large, large.slice(3, 4)],
      [large.slice(3, 4), large],
    ]) {
      const first = holder(database.db, (trx) => lockIdentifiers(trx, tenant, a!))
      await until(() => first.isLocked())
      const second = holder(database.db, (trx) => lockIdentifiers(trx, tenant, b!))
      await waitsForLock(await second.pid)
      expect(second.isLocked()).toBe(false)
      first.release()
      await first.done
      second.release()
      await second.done
    }
  })

  test('another tenant is never held up by a large set', async () => {
    const first = holder(database.db, (trx) => lockIdentifiers(trx, randomUUID(), devices(MAX_IDENTIFIER_LOCKS + 1, 'same')))
    await until(() => first.isLocked())
    const second = holder(database.db, (trx) => lockIdentifiers(trx, randomUUID(), devices(MAX_IDENTIFIER_LOCKS + 1, 'same')))
    await until(() => second.isLocked())
    first.release()
    second.release()
    await Promise.all([first.done, second.done])
  })
})
