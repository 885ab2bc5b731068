import type { Kysely } from 'kysely'
import { runStatements } from './0001-initial-schema'

/**
 * The journey index holds resolved keys only (collector/docs/pipeline.md,
 * "Where resolution is written"). Every reader of `event_keys_journey` asks
 * for given profiles (`profile_id IN …` or `= ANY(…)`), which PostgreSQL
 * proves non-null, so none of them needs a pending key's entry; and those
 * entries were the costliest of an append: every pending key of a tenant
 * sorts under the same `(tenant_id, NULL)` prefix, in time order, so every
 * concurrent append wrote into the same few leaf pages, and each entry was
 * written again under its profile when the key was resolved. Without them an
 * append writes three index entries per key instead of four, none of them
 * twice (collector/docs/performance.md, "Seventh pass").
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    DROP INDEX event_keys_journey;
    CREATE INDEX event_keys_journey ON event_keys (tenant_id, profile_id, event_time DESC, event_id DESC)
      WHERE profile_id IS NOT NULL;
  `,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    DROP INDEX event_keys_journey;
    CREATE INDEX event_keys_journey ON event_keys (tenant_id, profile_id, event_time DESC, event_id DESC);
  `,
  )
}
