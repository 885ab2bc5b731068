import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'

/**
 * Where one benchmark run keeps its data: a fresh database on the PostgreSQL
 * server of `DATABASE_URL` (named after its database, `<name>_bench_<tag>`),
 * or a fresh PGlite folder. Each run migrates from nothing, so runs of two
 * branches whose migrations differ never meet, and what a run leaves is
 * dropped at the end (`finish(false)`). A database rather than a schema:
 * Kysely's migrator looks for its own tables in every schema, and would take
 * another schema's for the run's.
 */
export type BenchStore = PostgresStore | PgliteStore

export interface PostgresStore {
  kind: 'postgres'
  /** `DATABASE_URL`, pointed at the run's database. */
  url: string
  /** Drops the database unless `keep`, and lets go of the server. */
  finish(keep: boolean): Promise<void>
}

export interface PgliteStore {
  kind: 'pglite'
  /** `STRATUM_DATA_DIR` of the collector; PGlite lives in `pgdata` under it. */
  dataDir: string
  /** Removes the folder unless `keep`. */
  finish(keep: boolean): Promise<void>
}

/**
 * @example
 * const store = await createBenchStore({ databaseUrl: process.env.DATABASE_URL, runTag: 'r1' })
 * await store.finish(false)
 */
export async function createBenchStore(options: { databaseUrl?: string; runTag: string }): Promise<BenchStore> {
  if (!options.databaseUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), 'stratum-bench-'))
    return {
      kind: 'pglite',
      dataDir,
      finish: async (keep) => {
        if (!keep) rmSync(dataDir, { recursive: true, force: true })
      },
    }
  }
  const url = new URL(options.databaseUrl)
  const name = `${decodeURIComponent(url.pathname.slice(1)) || 'stratum'}_bench_${options.runTag}`
  const admin = postgres(options.databaseUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`CREATE DATABASE "${name}"`)
  url.pathname = `/${encodeURIComponent(name)}`
  return {
    kind: 'postgres',
    url: url.toString(),
    finish: async (keep) => {
      if (!keep) await admin.unsafe(`DROP DATABASE "${name}" WITH (FORCE)`)
      await admin.end()
    },
  }
}

/**
 * The same URL, pointed at another host and port (the round-trip counter's).
 *
 * @example
 * viaProxy('postgres://u@db:5432/x', 40123) // 'postgres://u@127.0.0.1:40123/x'
 */
export function viaProxy(databaseUrl: string, port: number): string {
  const url = new URL(databaseUrl)
  url.hostname = '127.0.0.1'
  url.port = String(port)
  return url.toString()
}
