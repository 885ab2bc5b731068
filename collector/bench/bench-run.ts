import { randomBytes, randomUUID } from 'node:crypto'
import { mintToken } from '../src/auth/mint-token'
import { openBaselineDatabase } from './baseline-database'
import { createBenchStore } from './bench-store'
import { startCollector } from '../src/testing/collector-process'
import { type CopyFigures, copyBaseline } from './copy-baseline'
import { type DestinationFigures, measureWithDestination } from './destination-phase'
import { type BacklogFigures, drainBacklog } from './drain-backlog'
import { type Driver, startDriver } from './driver-client'
import type { PhaseResult } from './driver-protocol'
import { type MemoryFigures, watchMemory } from './process-memory'
import { countRoundTrips, type RoundTripFigures } from './round-trips'
import type { BenchSettings } from './settings'
import { BATCH_SIZE } from './workload'

/** A timed phase, the collector's memory during it, and the resolution backlog it left. */
export type MeasuredPhase = PhaseResult & { memory: MemoryFigures | null; backlog: BacklogFigures }

/** Everything measured on one database. */
export interface DatabaseFigures {
  database: 'pglite' | 'postgres'
  warmUp: PhaseResult
  closed: Array<MeasuredPhase & { connections: number }>
  open: Array<MeasuredPhase & { fraction: number; batchesPerSecond: number }>
  /** The best closed-loop phase again, with one enabled destination delivering every event. */
  withDestination: DestinationFigures
  /** The collector's memory once the load has stopped, and how many events it had answered by then (at least). */
  afterLoad: { memory: MemoryFigures | null; eventsIngested: number }
  roundTrips: RoundTripFigures | null
  copy: CopyFigures[]
  /** The server's version and durability settings, which the rates depend on. */
  server: Record<string, string>
}

const JWT_SECRET = 'bench-secret-that-is-at-least-32-characters'
const WARM_UP_CONNECTIONS = 8

/**
 * Runs the whole benchmark on one database: a fresh store, a collector
 * process, the load driver; warm-up, the closed-loop phases, the open-loop
 * phases at fractions of the best rate; then (PostgreSQL) the round-trip
 * count, and the COPY baseline of the rows this run stored.
 *
 * @example
 * const figures = await benchDatabase('postgres', loadSettings(process.env), console.error)
 */
export async function benchDatabase(
  database: 'pglite' | 'postgres',
  settings: BenchSettings,
  progress: (line: string) => void,
): Promise<DatabaseFigures> {
  const runTag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`
  const store = await createBenchStore({ databaseUrl: database === 'postgres' ? settings.databaseUrl : undefined, runTag })
  const tenantId = randomUUID()
  const token = await mintToken({ secret: JWT_SECRET, tenantId, scopes: ['events:write', 'profiles:read'], ttlSeconds: 86_400 })
  const adminToken = await mintToken({ secret: JWT_SECRET, tenantId, scopes: ['admin'], ttlSeconds: 86_400 })
  const env = {
    STRATUM_JWT_SECRET: JWT_SECRET,
    STRATUM_RESOLVER_THREAD: settings.resolverThread ? 'on' : 'off',
    // Where each batch's time went, for the report's breakdown.
    STRATUM_SERVER_TIMING: 'on',
    ...(settings.roundSize ? { STRATUM_RESOLVER_BATCH: String(settings.roundSize) } : {}),
    // Seals the destination's token in the destination phase.
    STRATUM_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    ...(store.kind === 'postgres' ? { DATABASE_URL: store.url } : { STRATUM_DATA_DIR: store.dataDir }),
  }
  const driver = await startDriver()
  try {
    progress(`${database}: starting the collector`)
    // PGlite is one process's database: workers only on PostgreSQL.
    const workers = store.kind === 'postgres' && settings.workers > 1 ? ['--workers', String(settings.workers)] : []
    const collector = await startCollector(env, 'build', workers)
    const memory = watchMemory(collector.pid)
    const load = await driver
      .setup({ url: collector.url, token, runTag, people: settings.people })
      .then(() => runLoad(driver, settings, memory.take, progress, { url: collector.url, adminToken, drain: () => drainBacklog(collector.url, token) }))
      .finally(async () => {
        memory.stop()
        await collector.stop()
      })
    let roundTrips: RoundTripFigures | null = null
    if (store.kind === 'postgres') {
      progress(`${database}: counting round trips`)
      roundTrips = await countRoundTrips({ store, driver, env, token, runTag, people: settings.people, batches: settings.roundTripBatches })
    }
    progress(`${database}: COPY baseline`)
    const baselineDb = await openBaselineDatabase(store)
    try {
      const copy = await copyBaseline(baselineDb, { tenantId, rows: settings.baselineRows, connections: settings.connections })
      const [server] = await baselineDb.query<Record<string, string>>(
        `SELECT current_setting('server_version') AS version, current_setting('fsync') AS fsync,
          current_setting('synchronous_commit') AS synchronous_commit, current_setting('shared_buffers') AS shared_buffers,
          current_setting('autovacuum') AS autovacuum`,
      )
      return { database, ...load, roundTrips, copy, server: server! }
    } finally {
      await baselineDb.close()
    }
  } finally {
    driver.stop()
    await store.finish(settings.keep)
  }
}

async function runLoad(
  driver: Driver,
  settings: BenchSettings,
  memory: () => MemoryFigures | null,
  progress: (line: string) => void,
  collector: { url: string; adminToken: string; drain: () => Promise<BacklogFigures> },
) {
  progress(`  warm-up: ${settings.people} people`)
  const warmUp = await driver.run({ kind: 'warm-up', connections: WARM_UP_CONNECTIONS })
  memory()
  const { drain, ...destinationTarget } = collector
  await drain()
  let eventsIngested = warmUp.events
  let best = warmUp.eventsPerSecond
  const measure = async (label: string, run: () => Promise<PhaseResult>): Promise<MeasuredPhase> => {
    progress(`  ${label}`)
    const result = await run()
    eventsIngested += result.events
    const measured = memory()
    // The next phase starts with nothing left to resolve, so its lag is its own.
    return { ...result, memory: measured, backlog: await drain() }
  }
  const closed: DatabaseFigures['closed'] = []
  for (const connections of settings.connections) {
    // Enough bodies for three times the best rate so far; a phase that runs out says so.
    const bodies = Math.max(200, Math.ceil((3 * best * settings.seconds) / BATCH_SIZE) + 2 * connections)
    const phase = await measure(`${connections} connection(s), ${settings.seconds} s`, () =>
      driver.run({ kind: 'closed', connections, seconds: settings.seconds, bodies }),
    )
    if (phase.batches === 0) throw new Error(`no batch was answered: ${phase.errorSamples.join('; ')}`)
    closed.push({ connections, ...phase })
    best = Math.max(best, phase.eventsPerSecond)
  }
  const maxRate = Math.max(...closed.map((c) => c.eventsPerSecond))
  const fastest = closed.find((c) => c.eventsPerSecond === maxRate)!
  progress(`  ${fastest.connections} connection(s) with one enabled destination, ${settings.seconds} s`)
  const withDestination = await measureWithDestination(driver, {
    ...destinationTarget,
    connections: fastest.connections,
    seconds: settings.seconds,
    bodies: Math.max(200, Math.ceil((3 * maxRate * settings.seconds) / BATCH_SIZE) + 2 * fastest.connections),
    without: maxRate,
  })
  eventsIngested += withDestination.phase.events
  await drain()
  const open: DatabaseFigures['open'] = []
  for (const fraction of settings.rateFractions) {
    const batchesPerSecond = Math.round(((fraction * maxRate) / BATCH_SIZE) * 10) / 10
    const phase = await measure(`open loop at ${fraction * 100} % of ${maxRate} events/s`, () =>
      driver.run({ kind: 'open', rate: batchesPerSecond, seconds: settings.seconds }),
    )
    open.push({ fraction, batchesPerSecond, ...phase })
  }
  await new Promise((resolve) => setTimeout(resolve, 1000))
  return { warmUp, closed, open, withDestination, afterLoad: { memory: memory(), eventsIngested } }
}
