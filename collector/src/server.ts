import { serve } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Hono } from 'hono'
import { createApp } from './app'
import type { Config } from './config'
import { createDatabase, type StratumDatabase } from './db/create-database'
import { migrate } from './db/migrate'
import { ensureEventPartitions } from './db/partitions'
import { createLogger, type Logger } from './log'

const DAY_MS = 24 * 60 * 60 * 1000

/** A running collector. */
export interface RunningServer {
  url: string
  database: StratumDatabase
  /** Stops accepting connections, drains in-flight requests, closes storage. */
  close(): Promise<void>
}

/**
 * Opens storage, migrates, and serves the collector on `config.port`.
 * Daily maintenance creates next months' event partitions. `close()` (wired
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
  options: { log?: Logger; mount?: (app: Hono) => void } = {},
): Promise<RunningServer> {
  const log = options.log ?? createLogger(config.log)
  const database = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: `${config.dataDir}/pgdata` })
  await migrate(database.db, { retentionMonths: config.retentionMonths })
  const app = createApp({ db: database.db, config, log, remoteAddress: (c) => getConnInfo(c).remote.address })
  options.mount?.(app as unknown as Hono)
  const maintenance = setInterval(() => {
    ensureEventPartitions(database.db, { monthsBack: 1, monthsAhead: 2 }).catch((error: Error) =>
      log.error('maintenance_failed', { error: error.message }),
    )
  }, DAY_MS)
  maintenance.unref()

  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s))
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`
  log.info('listening', { url, storage: database.kind })

  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= (async () => {
      clearInterval(maintenance)
      const drained = new Promise<void>((resolve) => server.close(() => resolve()))
      // Idle keep-alive sockets would hold close() open; in-flight requests finish first.
      ;(server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.()
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownTimeoutMs).unref())
      await Promise.race([drained, timeout])
      await database.close()
      log.info('stopped')
    })()
    return closing
  }
  return { url, database, close }
}
