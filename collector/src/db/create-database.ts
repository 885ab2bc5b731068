import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { Kysely } from 'kysely'
import { PostgresJSDialect } from 'kysely-postgres-js'
import postgres from 'postgres'
import { createPGliteDialect } from './pglite-dialect'
import { preparingStatements } from './prepared-statements'
import type { Database } from './schema'
import { readServerUrl } from './server-url'

/** How long closing waits for running queries before it cuts the connections. */
const CLOSE_TIMEOUT_SECONDS = 5

/** Where the collector keeps its data. */
export interface DatabaseOptions {
  /** A PostgreSQL server URL; when absent, embedded PGlite is used. */
  databaseUrl?: string
  /** PGlite's data folder; `undefined` or `memory://` keeps it in memory (tests). */
  dataDir?: string
  /** Pool size for a PostgreSQL server (the collector passes `STRATUM_DB_POOL`); 10 when unset. */
  maxConnections?: number
  /** What `pg_stat_activity` shows for this pool's connections on a PostgreSQL server; postgres.js's default when unset. */
  applicationName?: string
}

/**
 * Starts listening on a channel of the database's own LISTEN connection;
 * `unlisten` stops (collector/docs/live-events.md).
 */
export type Listen = (channel: string, onPayload: (payload: string) => void) => Promise<{ unlisten(): Promise<void> }>

/** A Kysely instance plus what it runs on. */
export interface StratumDatabase {
  db: Kysely<Database>
  kind: 'pglite' | 'postgres'
  /**
   * On a PostgreSQL server: LISTEN on one connection of its own, opened by
   * the first call and closed with the database. PGlite has one process and
   * needs none.
   */
  listen?: Listen
  close(): Promise<void>
}

/**
 * Opens the collector's database: postgres.js through kysely-postgres-js when
 * `databaseUrl` is set, otherwise embedded PGlite on disk (or in memory).
 *
 * @example
 * const { db, close } = await createDatabase({ dataDir: './.stratum/pgdata' })
 */
export async function createDatabase(options: DatabaseOptions = {}): Promise<StratumDatabase> {
  if (options.databaseUrl) {
    const server = readServerUrl(options.databaseUrl)
    const client = postgres(server.url, {
      ...(server.socketDir ? { host: server.socketDir } : {}),
      max: options.maxConnections ?? 10,
      onnotice: () => {},
      // Fail fast when the server is unreachable so the API can answer 503.
      connect_timeout: 5,
      ...(options.applicationName ? { connection: { application_name: options.applicationName } } : {}),
      // JSON columns take serialised text (the schema's `Json` type), as PGlite
      // does: postgres.js would otherwise JSON.stringify that text again and
      // store a JSON string instead of the object.
      types: {
        json: {
          to: 3802,
          from: [114, 3802],
          serialize: (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value)),
          parse: (text: string) => JSON.parse(text),
        },
      },
    })
    const db = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: preparingStatements(client) }) })
    const close = async () => {
      // Bounded: after a failed connection attempt, postgres.js's plain end()
      // never settles, which would hang shutdown while the server is down.
      // Kysely's own end() call below then reuses this one.
      await client.end({ timeout: CLOSE_TIMEOUT_SECONDS })
      await db.destroy()
    }
    // postgres.js keeps one connection for every channel, counts listeners per channel, and re-listens after a reconnect.
    const listen: Listen = (channel, onPayload) => client.listen(channel, onPayload)
    return { db, kind: 'postgres', listen, close }
  }
  const dataDir = options.dataDir && options.dataDir !== 'memory://' ? options.dataDir : undefined
  if (dataDir) mkdirSync(dataDir, { recursive: true })
  const pglite = await PGlite.create(dataDir ? { dataDir } : {})
  const db = new Kysely<Database>({ dialect: createPGliteDialect(pglite) })
  return { db, kind: 'pglite', close: () => db.destroy() }
}
