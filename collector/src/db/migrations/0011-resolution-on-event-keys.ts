import type { Kysely } from 'kysely'
import { runStatements } from './0001-initial-schema'

/**
 * Resolution is written onto the narrow `event_keys` row, no longer onto the
 * event (collector/docs/pipeline.md, "Where resolution is written"):
 * - `event_keys.profile_id` (`NULL` until resolved) and `event_keys.seq`
 *   (arrival order, from the same sequence) move from `events`. Setting a
 *   profile rewrote the whole event before, every index entry with it, and
 *   left a dead copy of the wide row behind; now it rewrites a row of five
 *   ids and times, and `events` is append-only but for a rare warning;
 * - the pending index and the profile journey index move with them, so an
 *   append writes two index entries fewer into the wide table;
 * - the request role may UPDATE `warnings` of `events`, and no other column.
 *
 * Rows stored before keep their profile and order: both are copied to the
 * key first.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    ALTER TABLE event_keys ADD COLUMN profile_id uuid;
    ALTER TABLE event_keys ADD COLUMN seq bigint;
    UPDATE event_keys AS k SET profile_id = e.profile_id, seq = e.seq FROM events AS e
      WHERE e.tenant_id = k.tenant_id AND e.event_id = k.event_id AND e.event_time = k.event_time;
    ALTER TABLE event_keys ALTER COLUMN seq SET DEFAULT nextval('events_seq');
    CREATE INDEX event_keys_pending ON event_keys (tenant_id, seq) WHERE profile_id IS NULL;
    CREATE INDEX event_keys_journey ON event_keys (tenant_id, profile_id, event_time DESC, event_id DESC);
    REVOKE UPDATE (profile_id, warnings) ON events FROM stratum_app;
    GRANT UPDATE (warnings) ON events TO stratum_app;
    DROP INDEX events_pending;
    DROP INDEX events_profile_journey;
    ALTER TABLE events DROP COLUMN profile_id;
    ALTER TABLE events DROP COLUMN seq;
  `,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    ALTER TABLE events ADD COLUMN profile_id uuid;
    ALTER TABLE events ADD COLUMN seq bigint;
    UPDATE events AS e SET profile_id = k.profile_id, seq = k.seq FROM event_keys AS k
      WHERE e.tenant_id = k.tenant_id AND e.event_id = k.event_id AND e.event_time = k.event_time;
    ALTER TABLE events ALTER COLUMN seq SET DEFAULT nextval('events_seq');
    CREATE INDEX events_pending ON events (tenant_id, seq) WHERE profile_id IS NULL;
    CREATE INDEX events_profile_journey ON events (tenant_id, profile_id, event_time DESC, event_id DESC);
    REVOKE UPDATE (warnings) ON events FROM stratum_app;
    GRANT UPDATE (profile_id, warnings) ON events TO stratum_app;
    DROP INDEX event_keys_journey;
    DROP INDEX event_keys_pending;
    ALTER TABLE event_keys DROP COLUMN seq;
    ALTER TABLE event_keys DROP COLUMN profile_id;
  `,
  )
}
