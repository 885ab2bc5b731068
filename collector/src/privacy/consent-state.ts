import { sql, type Transaction } from 'kysely'
import type { Database, Trust } from '../db/schema'
import { mergedInto, survivorOf } from '../profiles/load-profile'

/** One recorded decision, as the API returns it. */
export interface ConsentRecord {
  purpose: string
  granted: boolean
  recorded_at: string
  policy_version: string | null
  source_id: string | null
  /** `browser` when recorded with a public source key, `server` with a JWT or a secret key. */
  trust: Trust
  /** The profile the decision was recorded on (a merged-away one, for older records). */
  profile_id: string
}

/** A person's consent: the current state per purpose, derived from the append-only history. */
export interface ConsentView {
  profile_id: string
  /** Set when the requested profile was merged away: the id asked for. */
  requested_id?: string
  merged: boolean
  state: Record<string, Omit<ConsentRecord, 'purpose' | 'profile_id'>>
  /** Newest first, at most `HISTORY_LIMIT` records. */
  history: ConsentRecord[]
}

/** Enough for any real history; a page spamming decisions cannot make the answer unbounded. */
const HISTORY_LIMIT = 1000

/**
 * Set-wise consent check for ingest: which of `profileIds` (surviving
 * profiles) currently deny `purpose` for data of trust `trust`. The state is
 * the latest record for the purpose across the profile and every profile
 * merged into it, so a denial given before a login stitch still holds after
 * the merge — read per trust level (`collector/docs/trust-boundary.md`):
 * server data honours only server-trust records, so a browser's word never
 * suppresses a backend's data; browser data honours a denial at either
 * level, so a browser's grant never lifts a backend's denial. One query per
 * batch.
 *
 * @example
 * const denied = await findDeniedProfiles(trx, tenantId, [...new Set(profileOf.values())], 'analytics', 'server') // Set { 'b1f…' }
 */
export async function findDeniedProfiles(
  trx: Transaction<Database>,
  tenantId: string,
  profileIds: Iterable<string>,
  purpose = 'analytics',
  trust: Trust = 'browser',
): Promise<Set<string>> {
  const ids = [...new Set(profileIds)]
  if (ids.length === 0) return new Set()
  const levels: Trust[] = trust === 'server' ? ['server'] : ['server', 'browser']
  const { rows } = await sql<{ root: string; granted: boolean }>`
    WITH RECURSIVE family(root, id, depth) AS (
      SELECT r, r, 0 FROM unnest(${ids}::uuid[]) AS r
      UNION
      SELECT f.root, p.id, f.depth + 1 FROM profiles AS p JOIN family AS f ON p.tenant_id = ${tenantId} AND p.merged_into = f.id
      WHERE f.depth < 100
    )
    SELECT DISTINCT ON (f.root, c.trust) f.root, c.granted
    FROM family AS f JOIN consents AS c ON c.tenant_id = ${tenantId} AND c.profile_id = f.id AND c.purpose = ${purpose}
      AND c.trust = ANY(${levels}::text[])
    ORDER BY f.root, c.trust, c.recorded_at DESC, c.id DESC
  `.execute(trx)
  return new Set(rows.filter((r) => !r.granted).map((r) => r.root))
}

/**
 * The consent of the person behind profile `id`: follows `merged_into` to
 * the survivor and reads the history of the survivor and of every profile
 * merged into it. Null when the profile is unknown.
 *
 * @example
 * const view = await loadConsent(trx, tenantId, id) // { profile_id, state: { analytics: { granted: true, … } }, history }
 */
export async function loadConsent(trx: Transaction<Database>, tenantId: string, id: string): Promise<ConsentView | null> {
  const survivor = await survivorOf(trx, tenantId, id)
  if (!survivor) return null
  const family = await mergedInto(trx, tenantId, survivor)
  const rows = await trx
    .selectFrom('consents')
    .select(['purpose', 'granted', 'recorded_at', 'policy_version', 'source_id', 'trust', 'profile_id'])
    .where('tenant_id', '=', tenantId)
    .where('profile_id', 'in', family)
    .orderBy('recorded_at', 'desc')
    .orderBy('id', 'desc')
    .limit(HISTORY_LIMIT)
    .execute()
  const history = rows.map((r) => ({ ...r, recorded_at: r.recorded_at.toISOString() }))
  // The state is computed from the full history, not the page of it returned.
  const latest = await trx
    .selectFrom('consents')
    .distinctOn('purpose')
    .select(['purpose', 'granted', 'recorded_at', 'policy_version', 'source_id', 'trust'])
    .where('tenant_id', '=', tenantId)
    .where('profile_id', 'in', family)
    .orderBy('purpose')
    .orderBy('recorded_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
  const state = Object.fromEntries(
    latest.map(({ purpose, ...r }) => [purpose, { ...r, recorded_at: r.recorded_at.toISOString() }]),
  )
  return { profile_id: survivor, ...(survivor !== id ? { requested_id: id } : {}), merged: survivor !== id, state, history }
}
