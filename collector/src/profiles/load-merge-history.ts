import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema'
import { mergedInto } from './load-profile'

/** At most this many merges, and this many stopped merges, per answer. */
export const MERGE_HISTORY_LIMIT = 100

/**
 * How a profile came to be: the merges that built it and the merges its
 * guards stopped (collector/docs/identity-resolution.md).
 */
export interface MergeHistory {
  merges: Array<{
    winner_id: string
    loser_id: string
    rule: string
    event_id: string | null
    identifier_type: string | null
    merged_at: string
  }>
  stopped: Array<{ event_id: string; event_name: string; event_time: string; rule: string }>
}

/** The warning the resolver puts on an event whose merge a guard stopped, before the rule. */
const BLOCKED_PREFIX = 'merge_blocked:'

/**
 * The merge history of a surviving profile, newest first, at most
 * `MERGE_HISTORY_LIMIT` of each kind: every merge whose winner or loser is
 * the survivor or a profile merged into it (directly or through others), and
 * every event of those profiles that carries a `merge_blocked:<rule>`
 * warning, once per rule.
 *
 * @example
 * const history = await loadMergeHistory(trx, tenantId, survivorId)
 * history.stopped[0]?.rule // 'G1'
 */
export async function loadMergeHistory(trx: Transaction<Database>, tenantId: string, survivor: string): Promise<MergeHistory> {
  const family = await mergedInto(trx, tenantId, survivor)
  const [merges, stopped] = await Promise.all([
    trx
      .selectFrom('profile_merges')
      .select(['winner_id', 'loser_id', 'rule', 'event_id', 'identifier_type', 'created_at'])
      .where('tenant_id', '=', tenantId)
      .where((eb) => eb.or([eb('winner_id', 'in', family), eb('loser_id', 'in', family)]))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(MERGE_HISTORY_LIMIT)
      .execute(),
    // The journey's index finds the family's events; only their warnings are read further.
    sql<{ event_id: string; event_name: string; event_time: Date; rule: string }>`
      SELECT e.event_id, e.event_name, e.event_time, substr(w.warning, ${BLOCKED_PREFIX.length + 1}) AS rule
      FROM event_keys AS k
      JOIN events AS e ON e.tenant_id = k.tenant_id AND e.event_id = k.event_id AND e.event_time = k.event_time
      CROSS JOIN LATERAL jsonb_array_elements_text(e.warnings) AS w(warning)
      WHERE k.tenant_id = ${tenantId} AND k.profile_id IN (${sql.join(family)})
        AND starts_with(w.warning, ${BLOCKED_PREFIX})
      ORDER BY e.event_time DESC, e.event_id DESC, rule
      LIMIT ${MERGE_HISTORY_LIMIT}
    `.execute(trx),
  ])
  return {
    merges: merges.map(({ created_at, ...m }) => ({ ...m, merged_at: created_at.toISOString() })),
    stopped: stopped.rows.map((s) => ({ ...s, event_time: new Date(s.event_time).toISOString() })),
  }
}
