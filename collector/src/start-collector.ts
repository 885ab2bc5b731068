import cluster from 'node:cluster'
import type { Kysely } from 'kysely'
import { mintToken } from './auth/mint-token'
import { SCOPES } from './auth/scopes'
import type { Config } from './config'
import { ensureDataDir } from './data-dir'
import type { Database } from './db/schema'
import { type DemoSite, startDemoSite } from './demo-site'
import { createLogger } from './log'
import { type Demo, seedDemo } from './seed-demo'
import { startServer } from './server'
import { startWorkers } from './start-workers'
import { VERSION } from './version'

/** How `stratum start` runs. */
export interface StartOptions {
  /** Where a development JWT secret was generated, when it was (the banner says so). */
  generatedAt?: string
  /** `--workers N`: a primary and N worker processes sharing the port; one process when unset. */
  workers?: number
}

/**
 * `stratum start`: migrates, seeds the demo on a first run, serves, and in
 * development starts the demo shop and prints a banner with a working JWT.
 * With `workers`, this process is the primary (see {@link startWorkers}) and
 * each worker, running this same command, only serves. SIGTERM and SIGINT
 * stop it gracefully.
 *
 * @example
 * await startCollector(config, { workers: 4 })
 */
export async function startCollector(config: Config, options: StartOptions = {}): Promise<void> {
  if (options.workers && cluster.isWorker) {
    // Every line a worker logs says which worker it is.
    const server = await startServer(config, { log: createLogger(config.log, { worker: process.pid }) })
    return onShutdown(() => server.close())
  }
  // The demo remembers its tenant in the data folder: create it before anything is written or served.
  if (config.demo) ensureDataDir(config.dataDir)
  let demo: Demo | undefined
  // Seeded before anything listens, so a failing seed stops the start instead of a running server.
  const prepare = async (db: Kysely<Database>) => {
    if (config.demo) demo = await seedDemo(db, config.dataDir)
  }
  const log = createLogger(config.log)
  const server = options.workers
    ? await startWorkers(config, options.workers, { log, prepare })
    : await startServer(config, { log, prepare })
  let site: DemoSite | undefined
  onShutdown(() => Promise.all([site?.close(), server.close()]))
  if (!demo) return
  // The collector is useful without the shop: a busy port or a missing examples folder only costs the shop.
  const siteLine = await startDemoSite({
    port: config.demoPort,
    host: config.host,
    sourceKey: demo.sourceKey,
    collectorUrl: server.url,
    orderSecret: demo.orderSecret,
  }).then(
    (started) => {
      site = started
      return `${started.url}  (examples/website: browse, log in, buy)`
    },
    (error: Error) => `not started: ${error.message}`,
  )
  // With only a JWKS configured, tokens come from the identity provider: there is nothing to sign one with.
  const token = config.jwt.secret
    ? await mintToken({ secret: config.jwt.secret, tenantId: demo.tenantId, scopes: [...SCOPES], ttlSeconds: 7 * 86400 })
    : undefined
  const tokenLines = token
    ? `    Console:     ${server.url}/console/#token=${token}
                 (signed in as the demo tenant; the token stays in the fragment, which no server sees)
    Dev JWT:     ${token}
${options.generatedAt ? `\n  No STRATUM_JWT_SECRET was set: a development secret was generated in ${options.generatedAt}.\n` : ''}
  Try:  export TOKEN=${token}
        curl -s ${server.url}/api/v1/cdp/health -H "Authorization: Bearer $TOKEN"`
    : '    Tokens:      issued by the identity provider behind STRATUM_JWKS_URL'
  const workersLine = options.workers ? `\n    Workers:     ${options.workers} processes on one port (node:cluster)` : ''
  process.stdout.write(`
  Stratum CDP collector ${VERSION} is running.

    Demo shop:   ${siteLine}
    API:         ${server.url}/api/v1/cdp
    API docs:    ${server.url}/docs  (ReDoc: ${server.url}/redoc)
    Pixel:       ${server.url}/stratum.min.js  (script tag: pixel/README.md)
    Storage:     ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PostgreSQL in ${config.dataDir}/pgdata`}${workersLine}
    Tenant:      ${demo.tenantId}
    Source key:  ${demo.sourceKey}
    Shop secret: ${demo.orderSecret}  (the shop backend's ORDER_EVENT_SECRET: examples/server)
${tokenLines}

`)
}

/** Runs `stop` on the first SIGTERM or SIGINT, then exits 0. */
function onShutdown(stop: () => Promise<unknown>): void {
  const shutdown = () => void stop().then(() => process.exit(0))
  process.once('SIGTERM', shutdown)
  process.once('SIGINT', shutdown)
}
