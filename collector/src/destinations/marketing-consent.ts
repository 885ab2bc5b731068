import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema'

/**
 * A person's marketing consent as delivery sees it: `denied` is the
 * survivor's `marketing_denied` flag (the latest marketing record of either
 * trust level is a denial); `granted`, whether any marketing grant was
 * recorded for the survivor or a profile merged into it.
 *
 * @example
 * const m: MarketingConsent = { denied: false, granted: true }
 */
export interface MarketingConsent {
  denied: boolean
  granted: boolean
}

/**
 * Marketing consent of the people behind `profileIds` (merged-away ids are
 * followed to their survivor), read at send time so that a denial recorded
 * after ingest still stops a delivery (`collector/docs/trust-engine.md`).
 * A profile that no longer exists (erased) reads as denied.
 *
 * @example
 * const consent = await loadMarketingConsent(trx, tenantId, [profileId])
 * consent.get(profileId)?.denied // false
 */
export async function loadMarketingConsent(
  trx: Transaction<Database>,
  tenantId: string,
  profileIds: Iterable<string>,
): Promise<Map<string, MarketingConsent>> {
  const ids = [...new Set(profileIds)]
  const consent = new Map<string, MarketingConsent>(ids.map((id) => [id, { denied: true, granted: false }]))
  if (ids.length === 0) return consent
  const { rows } = await sql<{ start: string; denied: boolean; granted: boolean }>`
    WITH RECURSIVE up(start, id, depth) AS (
      SELECT s, s, 0 FROM unnest(${ids}::uuid[]) AS s
      UNION ALL
      SELECT u.start, p.merged_into, u.depth + 1 FROM up AS u
      JOIN profiles AS p ON p.tenant_id = ${tenantId} AND p.id = u.id
      WHERE p.merged_into IS NOT NULL AND u.depth < 100
    ), survivor AS (
      SELECT DISTINCT ON (u.start) u.start, p.id, p.marketing_denied
      FROM up AS u JOIN profiles AS p ON p.tenant_id = ${tenantId} AND p.id = u.id
      ORDER BY u.start, u.depth DESC
    ), family(start, id, depth) AS (
      SELECT start, id, 0 FROM survivor
      UNION ALL
      SELECT f.start, p.id, f.depth + 1 FROM family AS f
      JOIN profiles AS p ON p.tenant_id = ${tenantId} AND p.merged_into = f.id
      WHERE f.depth < 100
    )
    SELECT s.start, s.marketing_denied AS denied, EXISTS (
      SELECT 1 FROM family AS f JOIN consents AS c ON c.tenant_id = ${tenantId} AND c.profile_id = f.id
      WHERE f.start = s.start AND c.purpose = 'marketing' AND c.granted
    ) AS granted
    FROM survivor AS s
  `.execute(trx)
  for (const r of rows) consent.set(r.start, { denied: r.denied, granted: r.granted })
  return consent
}
