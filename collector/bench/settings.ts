import { fileURLToPath } from 'node:url'

/** What a benchmark run does, from `BENCH_*` environment variables (collector/docs/performance.md). */
export interface BenchSettings {
  /** The databases to run on, in order. */
  databases: Array<'pglite' | 'postgres'>
  databaseUrl?: string
  /** Length of each timed phase. */
  seconds: number
  /** Requests in flight of the closed-loop phases. */
  connections: number[]
  /** Open-loop phases, as fractions of the best closed-loop rate. */
  rateFractions: number[]
  people: number
  /** Stored rows the COPY baseline writes again, at most. */
  baselineRows: number
  /** Batches sent through the round-trip counter. */
  roundTripBatches: number
  resultsDir: string
  /** Keep the run's database or PGlite folder instead of dropping it. */
  keep: boolean
  /** Collector processes on one port (`stratum start --workers N`, PostgreSQL only). */
  workers: number
  /** The resolver in its own thread (`STRATUM_RESOLVER_THREAD`, PostgreSQL only), or on the main thread with `BENCH_RESOLVER_THREAD=off`. */
  resolverThread: boolean
  /** Events per resolution round (`STRATUM_RESOLVER_BATCH`); the collector's default when left out. */
  roundSize?: number
}

/**
 * @example
 * const settings = loadSettings(process.env) // PGlite, then PostgreSQL when DATABASE_URL is set
 */
export function loadSettings(env: Record<string, string | undefined>): BenchSettings {
  const databaseUrl = env.DATABASE_URL || undefined
  const wanted = env.BENCH_DB ?? (databaseUrl ? 'both' : 'pglite')
  const databases = wanted === 'both' ? (['pglite', 'postgres'] as const) : [wanted]
  for (const db of databases) {
    if (db !== 'pglite' && db !== 'postgres') throw new Error(`BENCH_DB must be pglite, postgres or both, not "${wanted}"`)
    if (db === 'postgres' && !databaseUrl) throw new Error('BENCH_DB=postgres needs DATABASE_URL')
  }
  return {
    databases: databases as BenchSettings['databases'],
    databaseUrl,
    seconds: number(env, 'BENCH_SECONDS', 10),
    connections: list(env, 'BENCH_CONNECTIONS', '1,8,32'),
    rateFractions: list(env, 'BENCH_RATES', '0.5,0.8'),
    people: number(env, 'BENCH_PEOPLE', 5000),
    baselineRows: number(env, 'BENCH_BASELINE_ROWS', 30_000),
    roundTripBatches: number(env, 'BENCH_ROUND_TRIP_BATCHES', 40),
    resultsDir: env.BENCH_RESULTS_DIR || fileURLToPath(new URL('./results', import.meta.url)),
    keep: env.BENCH_KEEP === '1',
    workers: number(env, 'BENCH_WORKERS', 1),
    resolverThread: env.BENCH_RESOLVER_THREAD !== 'off',
    roundSize: env.BENCH_ROUND_SIZE ? number(env, 'BENCH_ROUND_SIZE', 0) : undefined,
  }
}

function number(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const value = env[name] ? Number(env[name]) : fallback
  if (!(value > 0)) throw new Error(`${name} must be a positive number`)
  return value
}

function list(env: Record<string, string | undefined>, name: string, fallback: string): number[] {
  const values = (env[name] || fallback).split(',').map(Number)
  if (values.some((v) => !(v > 0))) throw new Error(`${name} must be a comma-separated list of positive numbers`)
  return values
}
