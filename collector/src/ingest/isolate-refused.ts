/**
 * The SQLSTATE of an error by which PostgreSQL refuses the data itself, not
 * the request: class 22 (data exception: a NUL, a time out of range, a bad
 * cast), 23514 (a check failed, also "no partition of relation found for
 * row") and class 54 (a program limit, such as an index row too large).
 * Anything else — a unique violation handled by its caller, storage down,
 * resource exhaustion, a deadlock — is not the data's fault and is `null`.
 *
 * @example
 * refusalCode(Object.assign(new Error('x'), { code: '22021' })) // '22021'
 * refusalCode(Object.assign(new Error('x'), { code: '23505' })) // null
 */
export function refusalCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return null
  return code.startsWith('22') || code === '23514' || code.startsWith('54') ? code : null
}

/** What `isolateRefused` ends with: the results of the parts stored, and each event refused alone. */
export interface Isolated<E, R> {
  stored: R[]
  refused: Array<{ event: E; code: string }>
}

/**
 * Stores a batch with `store` (one transaction per call); when PostgreSQL
 * refuses the data (`refusalCode`), splits the batch in halves and stores
 * each in its own transaction, again and again, until every event it still
 * refuses stands alone. Validation should have caught such an event: this is
 * defence in depth, so that one poison event costs only itself and its good
 * neighbours are stored. A batch with k such events takes about
 * 2·k·log2(n) transactions more; a clean batch takes one. Any other error
 * propagates at once.
 *
 * @example
 * const { stored, refused } = await isolateRefused(prepared, (part) => withTenant(db, tenantId, (trx) => storeBatch(trx, part)))
 */
export async function isolateRefused<E, R>(events: E[], store: (part: E[]) => Promise<R>): Promise<Isolated<E, R>> {
  const outcome: Isolated<E, R> = { stored: [], refused: [] }
  // Depth first, in order: earlier events are stored before later ones, as in one transaction.
  const pending: E[][] = [events]
  for (let part = pending.pop(); part; part = pending.pop()) {
    try {
      outcome.stored.push(await store(part))
    } catch (error) {
      const code = refusalCode(error)
      if (!code) throw error
      if (part.length === 1) outcome.refused.push({ event: part[0]!, code })
      else pending.push(part.slice(Math.ceil(part.length / 2)), part.slice(0, Math.ceil(part.length / 2)))
    }
  }
  return outcome
}
