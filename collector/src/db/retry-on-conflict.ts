/** Deadlock and serialization failure: the transaction can simply run again. */
const RETRYABLE = new Set(['40P01', '40001'])

/**
 * Runs a transaction again, up to `attempts` times with a short jittered
 * pause, when PostgreSQL aborted it for a deadlock or a serialization
 * failure — the expected outcome of concurrent collectors locking the same
 * profiles in different orders. Other errors pass through at once.
 *
 * @example
 * await retryOnConflict(() => withTenant(db, tenantId, work))
 */
export async function retryOnConflict<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run()
    } catch (error) {
      const code = (error as { code?: string }).code
      if (attempt >= attempts || !code || !RETRYABLE.has(code)) throw error
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20))
    }
  }
}
