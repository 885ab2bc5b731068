import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema'

/**
 * The most identifiers a transaction locks one by one; a larger set locks its
 * tenant exclusively instead. PostgreSQL sizes its lock table for
 * `max_locks_per_transaction` (64 by default) per connection on average, so
 * this keeps a transaction within that budget whatever it carries. It covers
 * a pixel batch (a handful of identifiers), a consent call (at most 50) and a
 * backend batch of a few dozen people. See collector/docs/identity-resolution.md.
 */
export const MAX_IDENTIFIER_LOCKS = 64

/**
 * Locks identifiers for the rest of the transaction, so that two transactions
 * touching the same person queue instead of both creating a profile. Identity
 * resolution locks before reading owners; erasure and consent lock the same
 * way, so they cannot interleave with an ingest touching the same person.
 *
 * The number of locks is bounded whatever the input: every caller first takes
 * its tenant's advisory lock — SHARED with at most `MAX_IDENTIFIER_LOCKS`
 * distinct identifiers, followed by one exclusive lock per identifier in
 * sorted key order; EXCLUSIVE with more, and then no per-identifier lock (it
 * already excludes every other writer of the tenant). One global order
 * (tenant, then sorted keys) means no deadlock. See
 * collector/docs/identity-resolution.md ("Locking").
 *
 * @example
 * await lockIdentifiers(trx, tenantId, [{ type: 'email', value: hash }])
 */
export async function lockIdentifiers(
  trx: Transaction<Database>,
  tenantId: string,
  identifiers: ReadonlyArray<{ type: string; value: string }>,
): Promise<void> {
  if (identifiers.length === 0) return
  const keys = [...new Set(identifiers.map((i) => `${tenantId}:${i.type}:${i.value}`))]
  if (keys.length > MAX_IDENTIFIER_LOCKS) return lockTenant(trx, tenantId)
  // One statement, one order: the tenant first (rank 0), then the identifiers by key.
  await sql`
    SELECT CASE WHEN rank = 0 THEN pg_advisory_xact_lock_shared(k) ELSE pg_advisory_xact_lock(k) END
    FROM (
      SELECT 0 AS rank, hashtextextended(${tenantId}, 0) AS k
      UNION
      SELECT 1, hashtextextended(x, 0) FROM unnest(${keys}::text[]) AS x
      ORDER BY rank, k
    ) AS sorted
  `.execute(trx)
}

/**
 * Locks every identifier of a tenant at once, for the rest of the
 * transaction: waits for every transaction holding one of them, and holds
 * off every later one. For a caller that cannot know up front how many
 * identifiers it will touch (erasure finds a person's as it reads them).
 *
 * @example
 * await lockTenant(trx, tenantId)
 */
export async function lockTenant(trx: Transaction<Database>, tenantId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${tenantId}, 0))`.execute(trx)
}
