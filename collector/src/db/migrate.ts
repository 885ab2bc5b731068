import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely'
import * as initialSchema from './migrations/0001-initial-schema'
import * as emqIndexes from './migrations/0002-emq-indexes'
import * as privacy from './migrations/0003-privacy'
import * as identityResolution from './migrations/0004-identity-resolution'
import * as trustBoundary from './migrations/0005-trust-boundary'
import * as pendingResolution from './migrations/0006-pending-resolution'
import * as trustEngine from './migrations/0008-trust-engine'
import * as mergeHistoryIndexes from './migrations/0009-merge-history-indexes'
import * as liveWatchers from './migrations/0010-live-watchers'
import * as resolutionOnEventKeys from './migrations/0011-resolution-on-event-keys'
import * as journeyOfResolvedKeys from './migrations/0012-journey-of-resolved-keys'
import * as keysExpireByPartition from './migrations/0013-keys-expire-by-partition'
import { ensureEventPartitions } from './partitions'
import type { Database } from './schema'

/**
 * Migrations are imported statically rather than read from a folder, so they
 * ship inside the bundled CLI and run the same from source and from `dist/`.
 */
const migrations: Record<string, Migration> = {
  '0001-initial-schema': initialSchema,
  '0002-emq-indexes': emqIndexes,
  '0003-privacy': privacy,
  '0004-identity-resolution': identityResolution,
  '0005-trust-boundary': trustBoundary,
  '0006-pending-resolution': pendingResolution,
  '0008-trust-engine': trustEngine,
  '0009-merge-history-indexes': mergeHistoryIndexes,
  '0010-live-watchers': liveWatchers,
  '0011-resolution-on-event-keys': resolutionOnEventKeys,
  '0012-journey-of-resolved-keys': journeyOfResolvedKeys,
  '0013-keys-expire-by-partition': keysExpireByPartition,
}

/**
 * Every migration, by name: what `migrate` applies, and what a migration's
 * own test steps through to seed data under the schema as it was.
 *
 * @example
 * await new Migrator({ db, provider: migrationProvider }).migrateTo('0010-live-watchers')
 */
export const migrationProvider: MigrationProvider = { getMigrations: async () => migrations }

/**
 * Brings the schema up to date, then makes sure the monthly event partitions
 * for the retention window and the next months exist. Safe to run from
 * several processes at once: Kysely's migrator takes a lock and partition
 * creation is idempotent under an advisory lock.
 *
 * @example
 * await migrate(db, { retentionMonths: 13 })
 */
export async function migrate(db: Kysely<Database>, options: { retentionMonths: number }): Promise<string[]> {
  // Unordered: migrations written on parallel branches may land in any order.
  const migrator = new Migrator({ db, provider: migrationProvider, allowUnorderedMigrations: true })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error
  await ensureEventPartitions(db, { monthsBack: options.retentionMonths, monthsAhead: 2 })
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
