import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema'
import type { StoredIdentifierRef } from './suppression'

/**
 * Takes, until the transaction ends, the advisory locks identity resolution
 * takes on identifiers (`collector/src/identity/load-identity-state.ts`: key
 * `hashtextextended('<tenant>:<type>:<value>', 0)`, in sorted order). Holding
 * them, an erasure or a consent record cannot interleave with an ingest that
 * touches the same person: the ingest waits, then sees the outcome. The key
 * format must stay identical to resolution's.
 *
 * @example
 * await lockIdentifiers(trx, tenantId, [{ type: 'email', value: hash }])
 */
export async function lockIdentifiers(
  trx: Transaction<Database>,
  tenantId: string,
  identifiers: readonly StoredIdentifierRef[],
): Promise<void> {
  if (identifiers.length === 0) return
  const keys = [...new Set(identifiers.map((i) => `${tenantId}:${i.type}:${i.value}`))]
  await sql`
    SELECT pg_advisory_xact_lock(k)
    FROM (SELECT DISTINCT hashtextextended(x, 0) AS k FROM unnest(${keys}::text[]) AS x ORDER BY k) AS sorted
  `.execute(trx)
}
