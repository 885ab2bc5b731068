import type { PGlite } from '@electric-sql/pglite'
import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryResult, TransactionSettings } from 'kysely'
import { KyselyPGlite } from 'kysely-pglite'

/**
 * Kysely dialect for embedded PGlite that serialises connections.
 *
 * PGlite is a single connection, and kysely-pglite hands that one connection
 * to every caller at once, so two concurrent transactions would interleave
 * their statements (and the second `BEGIN` would join the first). Here a
 * connection is leased to one caller at a time: a request waits for the one
 * before it, which is what a pool of size one does on a server. Between two
 * leases the event loop turns, so requests keep being read while a queue of
 * transactions runs.
 *
 * It also reports affected rows the way Kysely expects (`numAffectedRows`):
 * kysely-pglite passes PGlite's `affectedRows` through, so every UPDATE and
 * DELETE would otherwise claim to have touched 0 rows.
 *
 * @example
 * const db = new Kysely<Database>({ dialect: createPGliteDialect(await PGlite.create()) })
 */
export function createPGliteDialect(pglite: PGlite): Dialect {
  const base = new KyselyPGlite(pglite).dialect
  return { ...base, createDriver: () => new LeasedDriver(base.createDriver()) }
}

class LeasedDriver implements Driver {
  #tail: Promise<void> = Promise.resolve()
  #release = new WeakMap<DatabaseConnection, () => void>()

  constructor(readonly inner: Driver) {}

  init() {
    return this.inner.init()
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void
    const previous = this.#tail
    this.#tail = new Promise<void>((resolve) => {
      release = resolve
    })
    await previous
    // PGlite answers in microtasks: a lease handed on in one too would run the whole queue of transactions
    // without the event loop turning once, and no request could be read, nor a timer fire, until it emptied
    // (collector/docs/performance.md, "PGlite's tail"). One turn of the loop per lease lets them in.
    await new Promise<void>((resolve) => setImmediate(resolve))
    const connection = withAffectedRows(await this.inner.acquireConnection())
    this.#release.set(connection, release)
    return connection
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    return this.inner.beginTransaction(connection, settings)
  }

  commitTransaction(connection: DatabaseConnection) {
    return this.inner.commitTransaction(connection)
  }

  rollbackTransaction(connection: DatabaseConnection) {
    return this.inner.rollbackTransaction(connection)
  }

  async releaseConnection(connection: DatabaseConnection) {
    await this.inner.releaseConnection(connection)
    this.#release.get(connection)?.()
  }

  destroy() {
    return this.inner.destroy()
  }
}

/** Commands whose row count Kysely reads as `numAffectedRows`, as its own PostgreSQL driver does. */
const COUNTED_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE'])

function withAffectedRows(inner: DatabaseConnection): DatabaseConnection {
  return {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      const result = (await inner.executeQuery<R>(query)) as QueryResult<R> & { affectedRows?: number; command?: string }
      if (result.numAffectedRows !== undefined || typeof result.affectedRows !== 'number') return result
      if (result.command && !COUNTED_COMMANDS.has(result.command)) return result
      return { ...result, numAffectedRows: BigInt(result.affectedRows) }
    },
    streamQuery: (query, chunkSize) => inner.streamQuery(query, chunkSize),
  }
}
