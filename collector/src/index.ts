/**
 * `@stratum/collector`: embed the collector in your own Node process, or run
 * the `stratum` CLI.
 *
 * @example
 * import { createApp, createDatabase, loadConfig, migrate } from '@stratum/collector'
 * const config = loadConfig(process.env)
 * const { db } = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
 * await migrate(db, { retentionMonths: config.retentionMonths })
 * const app = createApp({ db, config })
 */
export { API_BASE, createApp, type AppOptions, type StratumApp } from './app'
export { mintToken } from './auth/mint-token'
export { loadConfig, type Config } from './config'
export { createDatabase, type DatabaseOptions, type StratumDatabase } from './db/create-database'
export { migrate } from './db/migrate'
export { StratumError } from './errors'
export { startServer, type RunningServer } from './server'
export { scoreEmq } from './emq/score-emq'
