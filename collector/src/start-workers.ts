import cluster, { type Worker } from 'node:cluster'
import type { Kysely } from 'kysely'
import type { Config } from './config'
import type { Database } from './db/schema'
import { withMigratedDatabase } from './db/with-migrated-database'
import { StratumError } from './errors'
import type { Logger } from './log'
import { localUrl } from './server'

/** A worker that died is forked again after this long, so one that cannot start does not spin. */
const RESTART_DELAY_MS = 1000
/** How long past `shutdownTimeoutMs` a worker may take to exit before it is killed. */
const KILL_GRACE_MS = 5000

/** The workers of `stratum start --workers N`, seen from the primary. */
export interface RunningWorkers {
  url: string
  /** Stops every worker gracefully (SIGTERM) and resolves once all have exited. */
  close(): Promise<void>
}

/**
 * The primary of `stratum start --workers N` (node:cluster). It migrates and
 * runs `prepare` (the demo seed) once, then forks `count` workers, each a
 * whole collector (`startServer`) on the one shared port, to which the
 * primary hands connections in turn. It resolves once every worker listens; a
 * worker that dies before that fails the start. Afterwards a worker that dies
 * is logged and forked again. Workers share nothing but PostgreSQL, so only a
 * PostgreSQL server will do (collector/docs/workers.md).
 *
 * @example
 * const workers = await startWorkers(config, 4, { log })
 * process.once('SIGTERM', () => workers.close())
 */
export async function startWorkers(
  config: Config,
  count: number,
  options: { log: Logger; prepare?: (db: Kysely<Database>) => Promise<void> },
): Promise<RunningWorkers> {
  if (!config.databaseUrl) {
    throw new StratumError(500, 'invalid_config', 'workers share a PostgreSQL server: set DATABASE_URL (embedded PGlite runs in one process)')
  }
  await withMigratedDatabase(config, async (db) => options.prepare?.(db))
  const { log } = options
  /** Live workers and the promise of each one's exit. */
  const workers = new Map<Worker, Promise<void>>()
  let started = false
  let stopping = false

  const fork = (): Worker => {
    const worker = cluster.fork()
    const pid = worker.process.pid
    worker.once('listening', () => log.info('worker_listening', { worker: pid }))
    const exited = new Promise<void>((resolve) =>
      worker.once('exit', (code, signal) => {
        workers.delete(worker)
        resolve()
        if (stopping || !started) return
        log.error('worker_exited', { worker: pid, code, signal })
        setTimeout(() => stopping || fork(), RESTART_DELAY_MS)
      }),
    )
    workers.set(worker, exited)
    return worker
  }

  const close = async () => {
    stopping = true
    const exits = [...workers.values()]
    // Each worker drains its in-flight requests for up to shutdownTimeoutMs, as a single collector does.
    for (const worker of workers.keys()) worker.process.kill('SIGTERM')
    const killer = setTimeout(() => {
      for (const worker of workers.keys()) worker.process.kill('SIGKILL')
    }, config.shutdownTimeoutMs + KILL_GRACE_MS)
    await Promise.all(exits)
    clearTimeout(killer)
  }

  const listening = Array.from({ length: count }, () => {
    const worker = fork()
    return new Promise<number>((resolve, reject) => {
      worker.once('listening', (address) => resolve(address.port))
      worker.once('exit', (code, signal) =>
        reject(new StratumError(500, 'worker_failed', `a worker exited (${signal ?? `code ${code}`}) before it listened`)),
      )
    })
  })
  try {
    const [port] = await Promise.all(listening)
    started = true
    return { url: localUrl(config.host, port!), close }
  } catch (error) {
    await close()
    throw error
  }
}
