import type { Kysely } from 'kysely'
import { runStatements } from './0001-initial-schema'

/**
 * The Trust Engine's schema (`collector/docs/trust-engine.md`):
 *
 * - `destinations`: where a tenant's events go (Meta Conversions API, signed
 *   webhooks), with their filters and gate policy. The access token or
 *   signing secret is kept only encrypted (`secret`), never in `config`. The
 *   circuit breaker's state lives here so that every collector sees it.
 * - `deliveries`: the transactional outbox, one row per (destination,
 *   event), written in the ingest transaction that stores the event. Its
 *   primary key makes a delivery idempotent; `status` says where it stands,
 *   and `next_attempt_at` is both the retry time of a pending row and the
 *   lease expiry of a row being sent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const current = "NULLIF(current_setting('stratum.tenant_id', true), '')::uuid"
  await runStatements(
    db,
    `
    CREATE TABLE destinations (
      tenant_id uuid NOT NULL REFERENCES tenants (id),
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      name text NOT NULL,
      type text NOT NULL CHECK (type IN ('meta_capi', 'webhook')),
      enabled boolean NOT NULL DEFAULT true,
      config jsonb NOT NULL,
      secret text NOT NULL,
      event_names text[],
      source_ids text[],
      policy jsonb NOT NULL DEFAULT '{}',
      override_by text,
      override_at timestamptz,
      failures integer NOT NULL DEFAULT 0,
      circuit_open_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    );
    CREATE TABLE deliveries (
      tenant_id uuid NOT NULL,
      destination_id uuid NOT NULL,
      event_id uuid NOT NULL,
      event_time timestamptz NOT NULL,
      event_name text NOT NULL,
      source_id uuid,
      emq real,
      status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'held', 'delivered', 'dead', 'discarded', 'expired', 'suppressed')),
      level text,
      reason text,
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      claim_token uuid,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      delivered_at timestamptz,
      PRIMARY KEY (tenant_id, destination_id, event_id),
      FOREIGN KEY (tenant_id, destination_id) REFERENCES destinations (tenant_id, id) ON DELETE CASCADE
    );
    CREATE INDEX deliveries_due ON deliveries (tenant_id, destination_id, next_attempt_at) WHERE status IN ('pending', 'sending');
    CREATE INDEX deliveries_by_status ON deliveries (tenant_id, destination_id, status, event_id);
    CREATE INDEX deliveries_event ON deliveries (tenant_id, event_id);
    CREATE INDEX deliveries_held ON deliveries (created_at) WHERE status = 'held';
    ALTER TABLE destinations ENABLE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON destinations USING (tenant_id = ${current}) WITH CHECK (tenant_id = ${current});
    ALTER TABLE deliveries ENABLE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON deliveries USING (tenant_id = ${current}) WITH CHECK (tenant_id = ${current});
    GRANT SELECT, INSERT, UPDATE, DELETE ON destinations, deliveries TO stratum_app;
    ALTER TABLE sources ADD COLUMN requires_marketing_consent boolean NOT NULL DEFAULT false;
  `,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    ALTER TABLE sources DROP COLUMN requires_marketing_consent;
    DROP TABLE deliveries;
    DROP TABLE destinations;
  `,
  )
}
