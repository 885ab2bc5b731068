import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema'

/**
 * Takes a transaction-scoped advisory lock per identifier, in sorted order,
 * so that concurrent collectors resolving the same person queue behind each
 * other instead of each creating a profile, and cannot deadlock (every
 * transaction takes its locks once, up front, in the same global order).
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
