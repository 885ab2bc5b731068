/** Seconds a client should wait before retrying while storage is down or out of a resource. */
export const STORAGE_RETRY_AFTER_SECONDS = 5

const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN',
  'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED',
  '57P01', '57P02', '57P03', '40001', '40P01',
])

/** Messages of a closed store: PGlite, a lost connection, or Kysely after `destroy()` (shutdown). */
const STORAGE_GONE = /PGlite is closed|connection.*(terminated|closed)|driver has already been destroyed/i

type Failure = { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown }

/** Whether `error` or one of its causes (a few levels deep) matches. */
function anyCause(error: unknown, matches: (e: Failure) => boolean): boolean {
  for (let e = error as Failure | undefined, i = 0; e && i < 5; i++) {
    if (matches(e)) return true
    const inner = Array.isArray(e.errors) ? e.errors[0] : e.cause
    e = inner as Failure | undefined
  }
  return false
}

/**
 * Tells a storage outage (connection refused or lost, server shutting down,
 * embedded database closed) from a bug, so that the client gets a retryable
 * 503 with `Retry-After` instead of a 500. Serialisation failures and
 * deadlocks are retryable too.
 *
 * @example
 * isStorageUnavailable(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })) // true
 */
export function isStorageUnavailable(error: unknown): boolean {
  return anyCause(
    error,
    (e) =>
      (typeof e.code === 'string' && (CONNECTION_CODES.has(e.code) || e.code.startsWith('08'))) ||
      (typeof e.message === 'string' && STORAGE_GONE.test(e.message)),
  )
}

/**
 * Tells PostgreSQL running out of a resource — SQLSTATE class 53: disk full,
 * out of memory or of lock-table space, too many connections, a configured
 * limit exceeded — from a bug. The condition passes, so the client gets a
 * retryable 503 with `Retry-After`, never a 500 it would not retry.
 *
 * @example
 * isStorageBusy(Object.assign(new Error('out of shared memory'), { code: '53200' })) // true
 */
export function isStorageBusy(error: unknown): boolean {
  return anyCause(error, (e) => typeof e.code === 'string' && /^53[0-9A-Z]{3}$/.test(e.code))
}
