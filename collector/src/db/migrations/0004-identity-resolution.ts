import { type Kysely, sql } from 'kysely'
import { runStatements } from './0001-initial-schema'

/**
 * Identity resolution's own schema:
 * - `identifier_links`, G4 bookkeeping: which external ids and emails each
 *   device_id or anonymous_id has been seen with, so that one seen with too
 *   many becomes `shared` and stops bridging profiles;
 * - `stratum_sum_revenue(jsonb[])`, summing per-currency revenue documents,
 *   used when events are added to a profile and when profiles merge.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const current = "NULLIF(current_setting('stratum.tenant_id', true), '')::uuid"
  await runStatements(
    db,
    `
    CREATE TABLE identifier_links (
      tenant_id uuid NOT NULL,
      weak_type text NOT NULL,
      weak_hash text NOT NULL,
      strong_type text NOT NULL,
      strong_hash text NOT NULL,
      first_seen_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, weak_type, weak_hash, strong_type, strong_hash)
    );
    ALTER TABLE identifier_links ENABLE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON identifier_links USING (tenant_id = ${current}) WITH CHECK (tenant_id = ${current});
    GRANT SELECT, INSERT, DELETE ON identifier_links TO stratum_app;
    CREATE FUNCTION stratum_sum_revenue(amounts jsonb[]) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
      SELECT coalesce(jsonb_object_agg(key, total), '{}'::jsonb)
      FROM (SELECT e.key, sum(e.value::numeric) AS total
            FROM unnest(amounts) AS a(doc), jsonb_each_text(a.doc) AS e GROUP BY e.key) AS sums
    $$;
  `,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE identifier_links`.execute(db)
  await sql`DROP FUNCTION stratum_sum_revenue(jsonb[])`.execute(db)
}
