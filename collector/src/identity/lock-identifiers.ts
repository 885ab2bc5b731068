import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema'

/**
 * Takes a transaction-scoped advisory lock per identifier, in sorted key
 * order. Identity resolution takes them before reading owners, so two
 * collectors seeing the same person queue instead of both creating a
 * profile, and cannot deadlock (each transaction takes its locks once, up
 * front, in one global order). Erasure and consent take the same locks, so
 * they cannot interleave with an ingest touching the same person.
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
  await sql`
    SELECT pg_advisory_xact_lock(k)
    FROM (SELECT DISTINCT hashtextextended(x, 0) AS k FROM unnest(${keys}::text[]) AS x ORDER BY k) AS sorted
  `.execute(trx)
}
