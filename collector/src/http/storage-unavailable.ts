/** Seconds a client should wait before retrying while storage is down. */
export const STORAGE_RETRY_AFTER_SECONDS = 5

const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN',
  'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED',
  '57P01', '57P02', '57P03', '53300', '40001', '40P01',
])

/** Messages of a closed store: PGlite, a lost connection, or Kysely after `destroy()` (shutdown). */
const STORAGE_GONE = /PGlite is closed|connection.*(terminated|closed)|driver has already been destroyed/i

/**
 * Tells a storage outage (connection refused or lost, server shutting down,
 * too many connections, embedded database closed) from a bug, so that the
 * client gets a retryable 503 with `Retry-After` instead of a 500.
 * Serialisation failures and deadlocks are retryable too.
 *
 * @example
 * isStorageUnavailable(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })) // true
 */
export function isStorageUnavailable(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown } | undefined, i = 0; e && i < 5; i++) {
    if (typeof e.code === 'string' && (CONNECTION_CODES.has(e.code) || e.code.startsWith('08'))) return true
    if (typeof e.message === 'string' && STORAGE_GONE.test(e.message)) return true
    const inner = Array.isArray(e.errors) ? e.errors[0] : e.cause
    e = inner as typeof e
  }
  return false
}
