import type { Kysely } from 'kysely'
import { runStatements } from './0001-initial-schema'

/**
 * `live_watchers`: which collector watches which tenant's live feed, until
 * when (collector/docs/live-events.md, "Cost"). A collector sends a batch's
 * NOTIFY only when some collector watches its tenant, instead of after
 * every batch.
 *
 * It holds ids and times only, and is read and written by the collector's
 * own connection role, never by a tenant's request (no grant to
 * `stratum_app`). UNLOGGED: a row lives for seconds and is written again by
 * every heartbeat, so it needs no WAL; after a crash the table is empty and
 * live collectors register again at their next heartbeat.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE UNLOGGED TABLE live_watchers (
      collector_id uuid NOT NULL,
      tenant_id uuid NOT NULL,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (collector_id, tenant_id)
    );
  `,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, 'DROP TABLE live_watchers;')
}
