import { createDatabase, type StratumDatabase } from '../db/create-database'
import { migrate } from '../db/migrate'

/**
 * A migrated database for one test file: in-memory PGlite by default, the
 * PostgreSQL server at `DATABASE_URL` when it is set (CI runs both). Test
 * files on the server share one database and keep apart by using fresh
 * tenant ids, which row-level security isolates.
 *
 * @example
 * const database = await createTestDatabase()
 * afterAll(() => database.close())
 */
export async function createTestDatabase(): Promise<StratumDatabase> {
  const database = await createDatabase({ databaseUrl: process.env.DATABASE_URL, maxConnections: 4 })
  await migrate(database.db, { retentionMonths: 13 })
  return database
}
