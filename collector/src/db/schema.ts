import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

/**
 * The typed database interface of the collector. Every table is keyed by
 * `tenant_id` first so that the schema can be distributed by tenant (Citus)
 * without change, and every table is protected by row-level security.
 */
export interface Database {
  tenants: TenantsTable
  sources: SourcesTable
  profiles: ProfilesTable
  identifiers: IdentifiersTable
  profile_sessions: ProfileSessionsTable
  event_keys: EventKeysTable
  events: EventsTable
  profile_merges: ProfileMergesTable
  consents: ConsentsTable
  erasures: ErasuresTable
  suppressions: SuppressionsTable
  identifier_links: IdentifierLinksTable
  destinations: DestinationsTable
  deliveries: DeliveriesTable
  live_watchers: LiveWatchersTable
}

type Timestamp = ColumnType<Date, Date | string, Date | string>
type Json<T = unknown> = ColumnType<T, string, string>
type NullableJson<T = unknown> = ColumnType<T | null, string | null, string | null>

export interface TenantsTable {
  id: string
  name: string
  /** A tenant's own, shorter, event retention window. */
  retention_months: number | null
  created_at: Generated<Date>
}

export type SourceType = 'website' | 'server' | 'crm' | 'mobile'

/**
 * Who stands behind data: `browser` for a public source key, `server` for a
 * JWT or a secret key (`collector/docs/trust-boundary.md`).
 */
export type Trust = 'browser' | 'server'

export interface SourcesTable {
  tenant_id: string
  id: Generated<string>
  name: string
  source_type: SourceType
  /** The public key of a browser source; `null` where the source has a secret key. */
  source_key: string | null
  /** SHA-256 hex of a `server` or `crm` source's secret key; the key itself is never stored. */
  secret_key_hash: string | null
  allowed_origins: ColumnType<string[], string[], string[]>
  /** Events of this source go to a destination only with a recorded marketing grant (`collector/docs/trust-engine.md`). */
  requires_marketing_consent: Generated<boolean>
  created_at: Generated<Date>
}

export type LifecycleStage = 'anonymous' | 'known' | 'customer'

export interface ProfilesTable {
  tenant_id: string
  id: Generated<string>
  merged_into: string | null
  lifecycle_stage: Generated<LifecycleStage>
  events_count: Generated<number>
  sessions_count: Generated<number>
  /** Purchases confirmed with server trust. */
  purchases_count: Generated<number>
  /** Sum of server-confirmed Purchase `value` per ISO-4217 currency, e.g. `{"EUR": 129.5}`. */
  revenue: ColumnType<Record<string, number>, string | undefined, string>
  /** Purchases only a browser (public source key) reported. */
  claimed_purchases_count: Generated<number>
  /** Sum of browser-reported Purchase `value` per currency. */
  claimed_revenue: ColumnType<Record<string, number>, string | undefined, string>
  first_seen_at: Timestamp | null
  last_seen_at: Timestamp | null
  marketing_denied: Generated<boolean>
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

export interface IdentifiersTable {
  tenant_id: string
  type: string
  /** SHA-256 hex for email and phone; the trimmed value for the other types. */
  hash: string
  profile_id: string
  is_role: Generated<boolean>
  is_shared: Generated<boolean>
  first_seen_at: Timestamp
  last_seen_at: Timestamp
}

export interface ProfileSessionsTable {
  tenant_id: string
  profile_id: string
  session_id: string
}

/** Idempotency keys: one row per accepted `(tenant, event_id)`, across all partitions. */
export interface EventKeysTable {
  tenant_id: string
  event_id: string
  event_time: Timestamp
  received_at: Timestamp
  /** Who claimed the id; a server claim takes over a browser's. */
  trust: Trust
  /** `NULL` until the resolver has resolved the event (collector/docs/pipeline.md). */
  profile_id: Generated<string | null>
  /** Arrival order, from a sequence; the resolver takes pending events in it. */
  seq: Generated<string | null>
}

export interface EventsTable {
  tenant_id: string
  event_time: Timestamp
  event_id: string
  source_id: string | null
  event_name: string
  action_source: string | null
  received_at: Timestamp
  sent_at: Timestamp | null
  clock_corrected: boolean
  identifiers: Json<StoredIdentifier[]>
  user_data: Json<Record<string, string>>
  properties: Json<Record<string, unknown>>
  context: Json<Record<string, unknown>>
  consent: NullableJson<Record<string, boolean>>
  client_ip: string | null
  user_agent: string | null
  session_id: string | null
  emq: ColumnType<number | null, number | null, number | null>
  emq_breakdown: NullableJson<Record<string, unknown>>
  warnings: Json<string[]>
}

/** An identifier as kept on an event: type and hash, never a raw value. */
export interface StoredIdentifier {
  type: string
  value: string
  status: 'valid' | 'junk' | 'invalid'
  role?: boolean
}

export interface ProfileMergesTable {
  tenant_id: string
  id: Generated<string>
  winner_id: string
  loser_id: string
  rule: string
  event_id: string | null
  identifier_type: string | null
  created_at: Generated<Date>
}

export interface ConsentsTable {
  tenant_id: string
  id: Generated<string>
  profile_id: string
  purpose: string
  granted: boolean
  source_id: string | null
  policy_version: string | null
  recorded_at: Timestamp
  trust: Trust
}

export interface ErasuresTable {
  tenant_id: string
  id: Generated<string>
  requested_by: string | null
  requested_at: Generated<Date>
  request_hash: string
  counts: Json<Record<string, number>>
}

export interface SuppressionsTable {
  tenant_id: string
  type: string
  hash: string
  created_at: Generated<Date>
}

export type Source = Selectable<SourcesTable>
export type Profile = Selectable<ProfilesTable>
export type NewEvent = Insertable<EventsTable>

/** G4: a strong identifier seen together with a weak one. */
export interface IdentifierLinksTable {
  tenant_id: string
  weak_type: string
  weak_hash: string
  strong_type: string
  strong_hash: string
  first_seen_at: Generated<Date>
}

export type DestinationType = 'meta_capi' | 'webhook'

/** Where a tenant's events are delivered (`collector/docs/trust-engine.md`). */
export interface DestinationsTable {
  tenant_id: string
  id: Generated<string>
  name: string
  type: DestinationType
  enabled: Generated<boolean>
  /** Settings without the secret: `pixel_id`, `api_version`… or `url`. */
  config: Json<Record<string, string>>
  /** The access token or signing secret, encrypted (`destinations/secret-box.ts`). */
  secret: string
  /** Only these event names; null: every event. */
  event_names: ColumnType<string[] | null, string[] | null, string[] | null>
  /** Only these sources (`server`: events sent with a JWT); null: every source. */
  source_ids: ColumnType<string[] | null, string[] | null, string[] | null>
  policy: ColumnType<Record<string, unknown>, string | undefined, string>
  /** Who set `policy.override` and when (the JWT `sub`). */
  override_by: string | null
  override_at: Timestamp | null
  /** Consecutive failed sends, for the circuit breaker. */
  failures: Generated<number>
  circuit_open_until: Timestamp | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

export type DeliveryStatus = 'pending' | 'sending' | 'held' | 'delivered' | 'dead' | 'discarded' | 'expired' | 'suppressed'

/** The transactional outbox: one row per (destination, event). */
export interface DeliveriesTable {
  tenant_id: string
  destination_id: string
  event_id: string
  event_time: Timestamp
  event_name: string
  source_id: string | null
  emq: ColumnType<number | null, number | null, number | null>
  status: DeliveryStatus
  /** The automation level the gate decided under, once it has. */
  level: string | null
  /** Why a delivery is held, dead or suppressed. */
  reason: string | null
  attempts: Generated<number>
  /** When a pending row is due, or when a sending row's lease ends. */
  next_attempt_at: Timestamp
  claim_token: string | null
  created_at: Timestamp
  updated_at: Timestamp
  delivered_at: Timestamp | null
}

/** A collector's registration as watching a tenant's live feed, renewed by its heartbeat (collector/docs/live-events.md, "Cost"). */
export interface LiveWatchersTable {
  collector_id: string
  tenant_id: string
  expires_at: Timestamp
}
