import { sql, type Transaction } from 'kysely'
import type { Database, DeliveryStatus } from '../db/schema'
import { retryDelayMs } from './backoff'
import { LEASE_ENDING, type SendOutcome } from './send-outcome'

/** A claimed delivery's new state. */
export interface Settlement {
  eventId: string
  status: DeliveryStatus
  reason?: string | null
  /** The gate's level; kept as it was when absent. */
  level?: string | null
  /** Whether this counts as an attempt to send. */
  attempted: boolean
  /** When a pending delivery is due again. */
  nextAttemptAt?: Date
}

/**
 * Writes the outcome of a claim in one statement, only for rows this claim
 * still holds (`claim_token`): if the lease ran out and another collector
 * claimed a row again, this one leaves it to that collector. Deletes the
 * deliveries in `gone` (their events no longer exist).
 *
 * @example
 * await settleDeliveries(trx, tenantId, destinationId, token, [{ eventId, status: 'delivered', attempted: true }], [], now)
 */
export async function settleDeliveries(
  trx: Transaction<Database>,
  tenantId: string,
  destinationId: string,
  token: string,
  settlements: Settlement[],
  gone: string[],
  now: Date,
): Promise<void> {
  if (gone.length > 0) {
    await trx
      .deleteFrom('deliveries')
      .where('tenant_id', '=', tenantId)
      .where('destination_id', '=', destinationId)
      .where('claim_token', '=', token)
      .where('event_id', 'in', gone)
      .execute()
  }
  if (settlements.length === 0) return
  // `= ANY` bounds the rows joined to the claim's own, so no estimate of the recordset can make it loop over the destination's queue.
  const ids = settlements.map((s) => s.eventId)
  const rows = JSON.stringify(
    settlements.map((s) => ({
      event_id: s.eventId,
      status: s.status,
      reason: s.reason ?? null,
      keep_level: s.level === undefined,
      level: s.level ?? null,
      attempted: s.attempted ? 1 : 0,
      next_attempt_at: s.nextAttemptAt?.toISOString() ?? null,
      delivered: s.status === 'delivered',
    })),
  )
  await sql`
    UPDATE deliveries AS d SET
      status = u.status, reason = u.reason,
      level = CASE WHEN u.keep_level THEN d.level ELSE u.level END,
      attempts = d.attempts + u.attempted,
      next_attempt_at = coalesce(u.next_attempt_at, d.next_attempt_at),
      delivered_at = CASE WHEN u.delivered THEN ${now}::timestamptz END,
      claim_token = NULL, updated_at = ${now}
    FROM jsonb_to_recordset(${rows}::jsonb)
      AS u(event_id uuid, status text, reason text, keep_level boolean, level text, attempted int, next_attempt_at timestamptz, delivered boolean)
    WHERE d.tenant_id = ${tenantId} AND d.destination_id = ${destinationId} AND d.event_id = ANY(${ids}::uuid[])
      AND d.event_id = u.event_id AND d.claim_token = ${token}
  `.execute(trx)
}

/**
 * What a send's outcome makes of a delivery: delivered; a dead letter when
 * the destination refused the data or after `maxAttempts` tries; else pending
 * again after a backoff. An event not sent because the lease was ending is
 * due at once and its try is not counted.
 *
 * @example
 * settlementOf(eventId, 'full', { kind: 'retry', message: 'HTTP 503' }, 2, 10, new Date()) // pending, due in 5–10 s
 */
export function settlementOf(eventId: string, level: string, outcome: SendOutcome, tries: number, maxAttempts: number, at: Date): Settlement {
  if (outcome === LEASE_ENDING) return { eventId, status: 'pending', level, reason: outcome.message, attempted: false, nextAttemptAt: at }
  if (outcome.kind === 'delivered') return { eventId, status: 'delivered', level, attempted: true }
  if (outcome.kind === 'rejected') return { eventId, status: 'dead', level, reason: outcome.message, attempted: true }
  if (tries >= maxAttempts) return { eventId, status: 'dead', level, reason: `gave up after ${tries} attempts: ${outcome.message}`, attempted: true }
  const nextAttemptAt = new Date(at.getTime() + retryDelayMs(tries, outcome.retryAfterMs))
  return { eventId, status: 'pending', level, reason: outcome.message, attempted: true, nextAttemptAt }
}
