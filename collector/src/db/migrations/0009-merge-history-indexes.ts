import type { Kysely } from 'kysely'
import { runStatements } from './0001-initial-schema'

/**
 * `GET /profiles/{id}/merges` (collector/docs/identity-resolution.md) reads
 * the merges a profile family won or lost. The merge log is keyed by its own
 * id, so without these it would scan every merge of the tenant.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE INDEX profile_merges_winner ON profile_merges (tenant_id, winner_id);
    CREATE INDEX profile_merges_loser ON profile_merges (tenant_id, loser_id);
  `,
  )
}
