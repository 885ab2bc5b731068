import { type Kysely, sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema'

/** A destination with deliveries due now. */
export interface DueDestination {
  tenantId: string
  destinationId: string
}

/**
 * The enabled destinations, of every tenant, with a pending delivery due or a
 * claim whose lease ran out, and whose circuit is closed. Runs as the
 * connecting owner (it spans tenants, like retention) and reads ids only;
 * each destination is then worked under its tenant's row-level security.
 * One probe of `deliveries_due` per destination.
 *
 * @example
 * const due = await findDueDestinations(db, new Date())
 */
export async function findDueDestinations(db: Kysely<Database>, now: Date): Promise<DueDestination[]> {
  const { rows } = await sql<{ tenant_id: string; id: string }>`
    SELECT t.tenant_id, t.id FROM destinations AS t
    WHERE t.enabled AND (t.circuit_open_until IS NULL OR t.circuit_open_until <= ${now})
      AND EXISTS (
        SELECT 1 FROM deliveries AS d
        WHERE d.tenant_id = t.tenant_id AND d.destination_id = t.id
          AND d.status IN ('pending', 'sending') AND d.next_attempt_at <= ${now}
      )
  `.execute(db)
  return rows.map((r) => ({ tenantId: r.tenant_id, destinationId: r.id }))
}

/**
 * Claims up to `limit` due deliveries of one destination for this worker:
 * `FOR UPDATE SKIP LOCKED` lets collectors claiming at the same moment take
 * disjoint rows, and the claim is a lease — `status = 'sending'`, a fresh
 * `claim_token`, `next_attempt_at` at the lease's end — so a collector that
 * dies mid-send leaves rows another one claims again once the lease is over.
 * The rows it locked are updated by their physical address (a TID scan:
 * locked, they cannot move before the update), never by a join the planner
 * could turn into a scan of the destination's whole queue: with stale
 * statistics it estimated one row and compared each of 8,400 queued rows
 * with the 1,000 claimed (6 s against 50 ms, measured).
 *
 * @example
 * const claimed = await claimDeliveries(trx, tenantId, destinationId, { token, limit: 1000, now, leaseMs: 60_000 })
 */
export async function claimDeliveries(
  trx: Transaction<Database>,
  tenantId: string,
  destinationId: string,
  options: { token: string; limit: number; now: Date; leaseMs: number },
) {
  const { rows } = await sql<{ event_id: string; level: string | null; attempts: number }>`
    WITH due AS (
      SELECT ctid FROM deliveries
      WHERE tenant_id = ${tenantId} AND destination_id = ${destinationId}
        AND status IN ('pending', 'sending') AND next_attempt_at <= ${options.now}
      ORDER BY next_attempt_at
      LIMIT ${options.limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE deliveries AS d SET status = 'sending', claim_token = ${options.token},
      next_attempt_at = ${new Date(options.now.getTime() + options.leaseMs)}, updated_at = ${options.now}
    WHERE d.tenant_id = ${tenantId} AND d.destination_id = ${destinationId} AND d.ctid = ANY(ARRAY(SELECT ctid FROM due))
    RETURNING d.event_id, d.level, d.attempts
  `.execute(trx)
  return rows
}
