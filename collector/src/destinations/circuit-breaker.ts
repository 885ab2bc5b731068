import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema'

/** Consecutive failed requests that open a destination's circuit. */
export const CIRCUIT_THRESHOLD = 5
const FIRST_OPEN_MS = 30_000
const MAX_OPEN_MS = 10 * 60_000

/**
 * Per-destination circuit breaker, kept on the destination row so that every
 * collector sees it: after `CIRCUIT_THRESHOLD` failed requests in a row (the
 * destination or the network failed, not the data) the circuit opens for
 * 30 s, doubling with each further failure up to 10 min; no collector
 * claims that destination's deliveries meanwhile. Once it is due again one
 * batch goes through (half-open): a success closes the circuit, a failure
 * opens it again for longer.
 *
 * @example
 * await recordCircuit(trx, tenantId, destinationId, 'failure', new Date())
 */
export async function recordCircuit(
  trx: Transaction<Database>,
  tenantId: string,
  destinationId: string,
  outcome: 'success' | 'failure',
  now: Date,
): Promise<void> {
  if (outcome === 'success') {
    await sql`UPDATE destinations SET failures = 0, circuit_open_until = NULL
      WHERE tenant_id = ${tenantId} AND id = ${destinationId} AND (failures > 0 OR circuit_open_until IS NOT NULL)`.execute(trx)
    return
  }
  await sql`
    UPDATE destinations SET failures = failures + 1,
      circuit_open_until = CASE WHEN failures + 1 >= ${CIRCUIT_THRESHOLD}
        THEN ${now}::timestamptz + least(${MAX_OPEN_MS}::float8, ${FIRST_OPEN_MS}::float8 * power(2, failures + 1 - ${CIRCUIT_THRESHOLD})) * interval '1 millisecond'
        ELSE circuit_open_until END
    WHERE tenant_id = ${tenantId} AND id = ${destinationId}
  `.execute(trx)
}
