import { type Kysely, sql } from 'kysely'

/** Tables whose rows belong to one tenant; each gets the same RLS policy. */
export const TENANT_TABLES = [
  'sources',
  'profiles',
  'identifiers',
  'profile_sessions',
  'event_keys',
  'events',
  'profile_merges',
  'consents',
  'erasures',
  'suppressions',
] as const

/**
 * The collector's base schema. Every primary key leads with `tenant_id`;
 * `events` is range-partitioned by month on `event_time` (partitions are
 * created ahead by `ensureEventPartitions`). Requests run as the NOLOGIN role
 * `stratum_app`, to which row-level security applies even though the
 * connecting user owns the tables.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    DO $$ BEGIN CREATE ROLE stratum_app NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
  `.execute(db)
  // A non-superuser owner must be a member of the role to SET ROLE to it.
  await sql`
    DO $$ BEGIN EXECUTE format('GRANT stratum_app TO %I', current_user);
    EXCEPTION WHEN others THEN NULL; END $$;
  `.execute(db)

  await runStatements(db, `
    CREATE TABLE tenants (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      retention_months integer CHECK (retention_months BETWEEN 1 AND 120),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE sources (
      tenant_id uuid NOT NULL REFERENCES tenants (id),
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      name text NOT NULL,
      source_type text NOT NULL CHECK (source_type IN ('website', 'server', 'crm', 'mobile')),
      source_key text NOT NULL,
      allowed_origins text[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, source_key)
    );
    CREATE TABLE profiles (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      merged_into uuid,
      lifecycle_stage text NOT NULL DEFAULT 'anonymous' CHECK (lifecycle_stage IN ('anonymous', 'known', 'customer')),
      events_count integer NOT NULL DEFAULT 0,
      sessions_count integer NOT NULL DEFAULT 0,
      purchases_count integer NOT NULL DEFAULT 0,
      revenue jsonb NOT NULL DEFAULT '{}',
      first_seen_at timestamptz,
      last_seen_at timestamptz,
      marketing_denied boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    );
    CREATE INDEX profiles_merged_into ON profiles (tenant_id, merged_into) WHERE merged_into IS NOT NULL;
    CREATE TABLE identifiers (
      tenant_id uuid NOT NULL,
      type text NOT NULL CHECK (type IN ('email', 'phone', 'device_id', 'anonymous_id', 'external_id')),
      hash text NOT NULL,
      profile_id uuid NOT NULL,
      is_role boolean NOT NULL DEFAULT false,
      is_shared boolean NOT NULL DEFAULT false,
      first_seen_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, type, hash)
    );
    CREATE INDEX identifiers_profile ON identifiers (tenant_id, profile_id);
    CREATE TABLE profile_sessions (
      tenant_id uuid NOT NULL,
      profile_id uuid NOT NULL,
      session_id text NOT NULL,
      PRIMARY KEY (tenant_id, profile_id, session_id)
    );
    CREATE TABLE event_keys (
      tenant_id uuid NOT NULL,
      event_id uuid NOT NULL,
      event_time timestamptz NOT NULL,
      received_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, event_id)
    );
    CREATE TABLE events (
      tenant_id uuid NOT NULL,
      event_time timestamptz NOT NULL,
      event_id uuid NOT NULL,
      profile_id uuid NOT NULL,
      source_id uuid,
      event_name text NOT NULL,
      action_source text,
      received_at timestamptz NOT NULL,
      sent_at timestamptz,
      clock_corrected boolean NOT NULL DEFAULT false,
      identifiers jsonb NOT NULL DEFAULT '[]',
      user_data jsonb NOT NULL DEFAULT '{}',
      properties jsonb NOT NULL DEFAULT '{}',
      context jsonb NOT NULL DEFAULT '{}',
      consent jsonb,
      client_ip inet,
      user_agent text,
      session_id text,
      emq real,
      emq_breakdown jsonb,
      warnings jsonb NOT NULL DEFAULT '[]',
      PRIMARY KEY (tenant_id, event_id, event_time)
    ) PARTITION BY RANGE (event_time);
    CREATE INDEX events_profile_journey ON events (tenant_id, profile_id, event_time DESC, event_id DESC);
    CREATE TABLE profile_merges (
      tenant_id uuid NOT NULL,
      id bigint GENERATED ALWAYS AS IDENTITY,
      winner_id uuid NOT NULL,
      loser_id uuid NOT NULL,
      rule text NOT NULL,
      event_id uuid,
      identifier_type text,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    );
    CREATE TABLE consents (
      tenant_id uuid NOT NULL,
      id bigint GENERATED ALWAYS AS IDENTITY,
      profile_id uuid NOT NULL,
      purpose text NOT NULL,
      granted boolean NOT NULL,
      source_id uuid,
      policy_version text,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    );
    CREATE INDEX consents_profile ON consents (tenant_id, profile_id, purpose, recorded_at DESC);
    CREATE TABLE erasures (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      requested_by text,
      requested_at timestamptz NOT NULL DEFAULT now(),
      request_hash text NOT NULL,
      counts jsonb NOT NULL,
      PRIMARY KEY (tenant_id, id)
    );
    CREATE TABLE suppressions (
      tenant_id uuid NOT NULL,
      type text NOT NULL,
      hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, type, hash)
    );
  `)

  await sql`GRANT USAGE ON SCHEMA public TO stratum_app`.execute(db)
  // The tenant itself is visible only to its own requests.
  const current = "NULLIF(current_setting('stratum.tenant_id', true), '')::uuid"
  await runStatements(db, `
    GRANT SELECT, INSERT ON tenants TO stratum_app;
    ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON tenants USING (id = ${current}) WITH CHECK (id = ${current});
  `)
  for (const table of TENANT_TABLES) {
    await runStatements(db, `
      ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON ${table} USING (tenant_id = ${current}) WITH CHECK (tenant_id = ${current});
    `)
  }
  // Append-only history: no UPDATE on events, merge log, consents or audit.
  await runStatements(db, `
    GRANT SELECT, INSERT, UPDATE, DELETE ON sources, profiles, identifiers, profile_sessions TO stratum_app;
    GRANT SELECT, INSERT, DELETE ON event_keys, events, profile_merges, consents, suppressions TO stratum_app;
    GRANT SELECT, INSERT ON erasures TO stratum_app;
  `)
}

/**
 * Runs `;`-terminated statements one by one: both drivers use the extended
 * protocol, which takes a single statement per query.
 */
export async function runStatements(db: Kysely<unknown>, script: string): Promise<void> {
  for (const statement of script.split(/;\s*$/m)) {
    if (statement.trim()) await sql.raw(statement).execute(db)
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE suppressions, erasures, consents, profile_merges, events, event_keys,
      profile_sessions, identifiers, profiles, sources, tenants;
  `.execute(db)
}
