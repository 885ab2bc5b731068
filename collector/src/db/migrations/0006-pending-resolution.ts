import type { Kysely } from 'kysely'
import { runStatements } from './0001-initial-schema'

/**
 * Durable append, then resolution (collector/docs/pipeline.md):
 * - `events.profile_id` becomes nullable: a request appends its events
 *   unresolved, and the resolver fills the profile in later;
 * - `events.seq`, from a sequence, is the arrival order the resolver takes
 *   pending events in (a batch's events in batch order). Rows stored before
 *   this migration are resolved and keep `NULL`;
 * - `events_pending`, a partial index on `(tenant_id, seq)` of the unresolved
 *   events only: it stays as small as the backlog, and finding a tenant's
 *   next events is an index range scan;
 * - the request role may UPDATE exactly two columns of `events`,
 *   `profile_id` and `warnings`; every other column stays append-only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE SEQUENCE events_seq AS bigint;
    ALTER TABLE events ADD COLUMN seq bigint;
    ALTER TABLE events ALTER COLUMN seq SET DEFAULT nextval('events_seq');
    ALTER TABLE events ALTER COLUMN profile_id DROP NOT NULL;
    CREATE INDEX events_pending ON events (tenant_id, seq) WHERE profile_id IS NULL;
    GRANT USAGE ON SEQUENCE events_seq TO stratum_app;
    GRANT UPDATE (profile_id, warnings) ON events TO stratum_app;
  `,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    REVOKE UPDATE (profile_id, warnings) ON events FROM stratum_app;
    DROP INDEX events_pending;
    ALTER TABLE events DROP COLUMN seq;
    DROP SEQUENCE events_seq;
  `,
  )
}
