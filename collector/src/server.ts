import { type Http2Bindings, type HttpBindings, serve } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Server } from 'node:http'
import type { Hono } from 'hono'
import type { Kysely } from 'kysely'
import { createApp } from './app'
import { answerClientError } from './http/client-error'
import { closeIfBodyUnread } from './http/close-unread-body'
import type { Config } from './config'
import { createDatabase, type StratumDatabase } from './db/create-database'
import { migrate } from './db/migrate'
import type { Database } from './db/schema'
import { ensureEventPartitions } from './db/partitions'
import { startDeliveryWorker } from './destinations/delivery-worker'
import { createSecretBox } from './destinations/secret-box'
import { createEventFeed, type EventFeed } from './live/event-feed'
import { createLogger, type Logger } from './log'
import { runRetention } from './privacy/retention'
import { createResolver, type Resolver } from './resolver/resolver'
import { createThreadResolver } from './resolver/thread-resolver'

const DAY_MS = 24 * 60 * 60 * 1000

/** A running collector. */
export interface RunningServer {
  url: string
  database: StratumDatabase
  /** The process's live event feed (collector/docs/live-events.md). */
  eventFeed: EventFeed
  /** Stops accepting connections, drains in-flight requests, closes storage. */
  close(): Promise<void>
}

/**
 * Opens storage, migrates, runs `prepare` (the CLI seeds the demo there), and
 * serves the collector on `config.port`.
 * Maintenance, at start and daily, creates next months' event partitions and
 * drops those past retention. The Trust Engine's delivery worker runs in
 * every collector unless `STRATUM_DELIVERY=off` (`collector/docs/trust-engine.md`). `close()` (wired
 * to SIGTERM/SIGINT by the CLI) stops accepting connections and lets
 * in-flight batches finish before the database closes, up to
 * `shutdownTimeoutMs`.
 *
 * @example
 * const server = await startServer(loadConfig(process.env))
 * console.log(server.url)
 */
export async function startServer(
  config: Config,
  options: { log?: Logger; mount?: (app: Hono) => void; prepare?: (db: Kysely<Database>) => Promise<void> } = {},
): Promise<RunningServer> {
  const log = options.log ?? createLogger(config.log)
  const database = await createDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: `${config.dataDir}/pgdata`,
    maxConnections: config.dbPool,
    applicationName: `stratum-collector ${process.pid}`,
  })
  let server: Server
  let resolver: Resolver | undefined
  let eventFeed: EventFeed | undefined
  try {
    await migrate(database.db, { retentionMonths: config.retentionMonths })
    // After the migration: its sweep reads the pending-events index.
    resolver = startResolver(config, database, log)
    eventFeed = createEventFeed({ db: database.db, listen: database.listen, log })
    const app = createApp({ db: database.db, config, log, resolver, eventFeed, remoteAddress: (c) => getConnInfo(c).remote.address })
    options.mount?.(app as unknown as Hono)
    // Before listening: a start that fails here has served nobody.
    await options.prepare?.(database.db)
    server = await listen(app, config)
  } catch (error) {
    // A port in use, a failed seed and the like: fail the start instead of hanging, and let go of storage.
    await resolver?.close()
    await database.close()
    throw error
  }
  const running = resolver
  const feed = eventFeed
  // Daily: next months' partitions, and retention (collector/docs/privacy.md).
  const maintain = async () => {
    await ensureEventPartitions(database.db, { monthsBack: 1, monthsAhead: 2 })
    const done = await runRetention(database.db, { retentionMonths: config.retentionMonths })
    log.info('retention', {
      partitions_dropped: done.partitions_dropped.join(','),
      event_keys_expired: done.event_keys_expired,
      deliveries_expired: done.deliveries_expired,
      tenant_events_deleted: done.tenants.reduce((sum, t) => sum + t.events_deleted, 0),
    })
  }
  let maintaining: Promise<void> = Promise.resolve()
  const runMaintenance = () => {
    maintaining = maintain().catch((error: Error) => log.error('maintenance_failed', { error: error.message }))
  }
  runMaintenance()
  const maintenance = setInterval(runMaintenance, DAY_MS)
  maintenance.unref()
  // The Trust Engine's delivery worker (collector/docs/trust-engine.md): one in every collector.
  const worker = config.delivery.worker
    ? startDeliveryWorker({ db: database.db, secretBox: createSecretBox(config), log, delivery: config.delivery })
    : undefined
  const address = server.address()
  const url = localUrl(config.host, typeof address === 'object' && address ? address.port : config.port)
  log.info('listening', { url, storage: database.kind })

  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= (async () => {
      clearInterval(maintenance)
      // Live streams never end by themselves: end them first, or the drain would wait for the timeout.
      feed.close()
      const drained = new Promise<void>((resolve) => server.close(() => resolve()))
      // A keep-alive connection goes idle when its last response ends and would
      // hold the drain open until the client's keep-alive timeout: close each
      // one as soon as it is idle. In-flight requests are left to finish.
      server.closeIdleConnections()
      const reaper = setInterval(() => server.closeIdleConnections(), 50)
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), config.shutdownTimeoutMs)
      })
      const outcome = await Promise.race([drained, timeout])
      clearInterval(reaper)
      clearTimeout(timer)
      if (outcome === 'timeout') {
        log.warn('shutdown_timeout', { timeout_ms: config.shutdownTimeoutMs })
        server.closeAllConnections()
      }
      await maintaining
      await worker?.stop()
      // A round cut short rolls back; its events stay pending for the next start.
      await running.close()
      await database.close()
      log.info('stopped')
    })()
    return closing
  }
  return { url, database, eventFeed: feed, close }
}

/**
 * The URL to reach a collector listening on `host` and `port` from this machine.
 *
 * @example
 * localUrl('0.0.0.0', 8787) // 'http://localhost:8787'
 */
export function localUrl(host: string, port: number): string {
  return `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`
}

type Bindings = HttpBindings | Http2Bindings

/**
 * Listens on `config.port`; a listen error (a port in use) rejects instead of
 * crashing the process later. Responses that leave a body unread close their
 * connection, and requests Node refuses before the app sees them (headers too
 * large, not HTTP) are answered in the error shape.
 */
function listen(app: { fetch: (request: Request, env: Bindings) => Response | Promise<Response> }, config: Config): Promise<Server> {
  return new Promise((resolve, reject) => {
    const fetch = async (request: Request, env: Bindings) => closeIfBodyUnread(await app.fetch(request, env), env.incoming)
    // `serve` creates a plain HTTP/1 server unless given other options.
    const server = serve({ fetch, port: config.port, hostname: config.host }, () => {
      server.off('error', reject)
      resolve(server)
    }) as Server
    server.once('error', reject)
    server.on('clientError', answerClientError)
  })
}

/** The pool of a resolver thread: one pass per tenant at a time, plus the sweep. */
const RESOLVER_THREAD_POOL = 4

/**
 * On a PostgreSQL server the resolver runs in a thread of its own, unless
 * `STRATUM_RESOLVER_THREAD=off`; PGlite is one connection inside this thread,
 * so there it runs here (collector/docs/pipeline.md, "Where the resolver runs").
 */
function startResolver(config: Config, database: StratumDatabase, log: Logger): Resolver {
  const settings = { batchSize: config.resolverBatch, sweepMs: config.resolverSweepMs }
  // A database URL is what makes the database a PostgreSQL server (db/create-database.ts).
  if (config.databaseUrl && config.resolverThread) {
    return createThreadResolver({ databaseUrl: config.databaseUrl, pool: RESOLVER_THREAD_POOL, ...settings, log })
  }
  return createResolver({ db: database.db, log, ...settings })
}
