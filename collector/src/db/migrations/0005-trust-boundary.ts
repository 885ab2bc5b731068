import { type Kysely, sql } from 'kysely'
import { runStatements } from './0001-initial-schema'

/**
 * The trust boundary between a public source key (browser trust) and a
 * backend's JWT or secret key (server trust); see
 * `collector/docs/trust-boundary.md`.
 *
 * - `sources`: a `server` or `crm` source holds a secret key, kept only as
 *   its SHA-256 (`secret_key_hash`), instead of a public `source_key`. A
 *   source has exactly one of the two. Existing `server`/`crm` sources keep
 *   their public key — and browser trust — until their key is rotated.
 * - `event_keys.trust` and `consents.trust`: who claimed an event id, who
 *   recorded a decision. Existing rows written with a source key (every
 *   source key was public until now) are `browser`, the rest `server`. The
 *   request role may now UPDATE `event_keys`: a backend event takes over an
 *   id a browser claimed first.
 * - `profiles.claimed_purchases_count` and `claimed_revenue`: browser
 *   Purchases, kept apart from the server-confirmed `purchases_count` and
 *   `revenue`. Browser Purchases still within retention are moved there, and
 *   a profile left without a confirmed purchase is no longer a `customer`.
 *   Older figures cannot be told apart and stay where they are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    ALTER TABLE sources ALTER COLUMN source_key DROP NOT NULL;
    ALTER TABLE sources ADD COLUMN secret_key_hash text;
    ALTER TABLE sources ADD CONSTRAINT sources_one_key CHECK ((source_key IS NULL) <> (secret_key_hash IS NULL));
    ALTER TABLE sources ADD CONSTRAINT sources_secret_key_type CHECK (secret_key_hash IS NULL OR source_type IN ('server', 'crm'));
    CREATE UNIQUE INDEX sources_secret_key ON sources (tenant_id, secret_key_hash) WHERE secret_key_hash IS NOT NULL;

    ALTER TABLE event_keys ADD COLUMN trust text NOT NULL DEFAULT 'server' CHECK (trust IN ('browser', 'server'));
    UPDATE event_keys AS k SET trust = 'browser' FROM events AS e
      WHERE e.tenant_id = k.tenant_id AND e.event_id = k.event_id AND e.event_time = k.event_time AND e.source_id IS NOT NULL;
    GRANT UPDATE ON event_keys TO stratum_app;

    ALTER TABLE consents ADD COLUMN trust text NOT NULL DEFAULT 'server' CHECK (trust IN ('browser', 'server'));
    UPDATE consents SET trust = 'browser' WHERE source_id IS NOT NULL;

    ALTER TABLE profiles ADD COLUMN claimed_purchases_count integer NOT NULL DEFAULT 0;
    ALTER TABLE profiles ADD COLUMN claimed_revenue jsonb NOT NULL DEFAULT '{}';
  `,
  )
  await moveBrowserPurchases(db)
}

/**
 * Moves each retained browser Purchase from its profile's survivor's
 * confirmed figures to its claimed ones. A currency counts only where the
 * profile's revenue has it: ingest added a value only for a valid ISO-4217
 * code, and validity depends on the code alone.
 */
async function moveBrowserPurchases(db: Kysely<unknown>) {
  await sql`
    WITH RECURSIVE survivor(tenant_id, id, root, depth) AS (
      SELECT tenant_id, id, id, 0 FROM profiles WHERE merged_into IS NULL
      UNION ALL
      SELECT p.tenant_id, p.id, s.root, s.depth + 1 FROM profiles AS p
      JOIN survivor AS s ON p.tenant_id = s.tenant_id AND p.merged_into = s.id WHERE s.depth < 100
    ), bought AS (
      SELECT e.tenant_id, s.root, upper(e.properties ->> 'currency') AS currency,
        CASE WHEN jsonb_typeof(e.properties -> 'value') = 'number' THEN (e.properties ->> 'value')::numeric END AS amount
      FROM events AS e JOIN survivor AS s ON s.tenant_id = e.tenant_id AND s.id = e.profile_id
      WHERE e.source_id IS NOT NULL AND e.event_name = 'Purchase'
    ), counted AS (
      SELECT tenant_id, root, count(*)::int AS purchases FROM bought GROUP BY tenant_id, root
    ), summed AS (
      SELECT tenant_id, root, jsonb_object_agg(currency, total) AS revenue FROM (
        SELECT b.tenant_id, b.root, b.currency, sum(b.amount) AS total
        FROM bought AS b JOIN profiles AS p ON p.tenant_id = b.tenant_id AND p.id = b.root
        WHERE b.amount IS NOT NULL AND p.revenue ->> b.currency IS NOT NULL
        GROUP BY b.tenant_id, b.root, b.currency
      ) AS per_currency GROUP BY tenant_id, root
    ), moved AS (
      SELECT c.tenant_id, c.root, c.purchases, coalesce(s.revenue, '{}') AS revenue
      FROM counted AS c LEFT JOIN summed AS s ON s.tenant_id = c.tenant_id AND s.root = c.root
    )
    UPDATE profiles AS p SET
      purchases_count = greatest(p.purchases_count - m.purchases, 0),
      claimed_purchases_count = m.purchases,
      revenue = (
        SELECT coalesce(jsonb_object_agg(r.key, r.rest) FILTER (WHERE r.rest <> 0), '{}')
        FROM (SELECT key, value::numeric - coalesce((m.revenue ->> key)::numeric, 0) AS rest FROM jsonb_each_text(p.revenue)) AS r
      ),
      claimed_revenue = m.revenue,
      lifecycle_stage = CASE
        WHEN p.lifecycle_stage <> 'customer' OR p.purchases_count > m.purchases THEN p.lifecycle_stage
        WHEN EXISTS (SELECT 1 FROM identifiers AS i WHERE i.tenant_id = p.tenant_id AND i.profile_id = p.id
                     AND i.type IN ('email', 'phone', 'external_id')) THEN 'known'
        ELSE 'anonymous' END
    FROM moved AS m
    WHERE p.tenant_id = m.tenant_id AND p.id = m.root
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    ALTER TABLE profiles DROP COLUMN claimed_revenue;
    ALTER TABLE profiles DROP COLUMN claimed_purchases_count;
    ALTER TABLE consents DROP COLUMN trust;
    REVOKE UPDATE ON event_keys FROM stratum_app;
    ALTER TABLE event_keys DROP COLUMN trust;
    DROP INDEX sources_secret_key;
    ALTER TABLE sources DROP CONSTRAINT sources_secret_key_type;
    ALTER TABLE sources DROP CONSTRAINT sources_one_key;
    ALTER TABLE sources DROP COLUMN secret_key_hash;
  `,
  )
}
