import type { Kysely } from 'kysely'
import type { Config } from '../config'
import { createDatabase } from './create-database'
import { migrate } from './migrate'
import type { Database } from './schema'

/**
 * Opens the configured database, brings its schema up to date, runs `work`
 * and closes it: the one-shot commands of the CLI, and the one-time
 * preparation of `stratum start --workers N` before it forks.
 *
 * @example
 * await withMigratedDatabase(config, (db) => provisionTenant(db, id, 'Acme'))
 */
export async function withMigratedDatabase(config: Config, work: (db: Kysely<Database>) => Promise<void>): Promise<void> {
  const database = await createDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: `${config.dataDir}/pgdata`,
    maxConnections: config.dbPool,
  })
  try {
    await migrate(database.db, { retentionMonths: config.retentionMonths })
    await work(database.db)
  } finally {
    await database.close()
  }
}
