import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema'

/** How far resolution is behind for one tenant. */
export interface ResolutionBacklog {
  /** Events stored but not yet resolved into a profile. */
  pending: number
  /** Age of the oldest of them, in seconds; `null` when none is pending. */
  oldest_pending_seconds: number | null
}

/**
 * The tenant's resolution backlog (collector/docs/pipeline.md), read from the
 * partial index of pending events: what a dashboard shows so that nobody
 * mistakes a profile that is seconds behind for a wrong one.
 *
 * @example
 * await withTenant(db, tenantId, (trx) => loadResolutionBacklog(trx, tenantId, new Date())) // { pending: 0, oldest_pending_seconds: null }
 */
export async function loadResolutionBacklog(trx: Transaction<Database>, tenantId: string, now: Date): Promise<ResolutionBacklog> {
  const { rows } = await sql<{ pending: number; oldest: Date | null }>`
    SELECT count(*)::int AS pending, min(received_at) AS oldest FROM event_keys WHERE tenant_id = ${tenantId} AND profile_id IS NULL
  `.execute(trx)
  const { pending, oldest } = rows[0]!
  return { pending, oldest_pending_seconds: oldest ? Math.max(0, Math.round((now.getTime() - new Date(oldest).getTime()) / 100) / 10) : null }
}
