/**
 * What a resolver knows of each tenant's resolution lag — how long the
 * oldest event of its latest round had waited — and the callers waiting for
 * that lag to come down (backpressure, collector/docs/pipeline.md).
 */
export interface LagWatch {
  /** A round took events that had waited `lagMs` at most; 0 once nothing is left. */
  record(tenantId: string, lagMs: number): void
  /** Nothing this process can measure (another process's lease, a failed round, shutdown): nobody waits on it. */
  forget(tenantId?: string): void
  /** Settles once the tenant's known lag is at or under `maxLagMs`, or unknown, or after `timeoutMs`. */
  within(tenantId: string, maxLagMs: number, timeoutMs: number): Promise<void>
}

interface Waiter {
  maxLagMs: number
  settle: () => void
}

/**
 * Creates an empty lag watch.
 *
 * @example
 * const lag = createLagWatch()
 * lag.record(tenantId, 4200)
 * await lag.within(tenantId, 2000, 10_000) // until a round reports ≤ 2 s, or 10 s
 */
export function createLagWatch(): LagWatch {
  const lags = new Map<string, number>()
  const waiters = new Map<string, Set<Waiter>>()
  const release = (tenantId: string, keep: (w: Waiter) => boolean) => {
    const set = waiters.get(tenantId)
    if (!set) return
    for (const waiter of set) {
      if (keep(waiter)) continue
      set.delete(waiter)
      waiter.settle()
    }
    if (set.size === 0) waiters.delete(tenantId)
  }
  return {
    record(tenantId, lagMs) {
      lags.set(tenantId, lagMs)
      release(tenantId, (w) => lagMs > w.maxLagMs)
    },
    forget(tenantId) {
      for (const id of tenantId === undefined ? [...waiters.keys(), ...lags.keys()] : [tenantId]) {
        lags.delete(id)
        release(id, () => false)
      }
    },
    within(tenantId, maxLagMs, timeoutMs) {
      const lag = lags.get(tenantId)
      if (lag === undefined || lag <= maxLagMs) return Promise.resolve()
      return new Promise<void>((resolve) => {
        const waiter: Waiter = { maxLagMs, settle: () => resolve() }
        const set = waiters.get(tenantId) ?? new Set()
        waiters.set(tenantId, set.add(waiter))
        setTimeout(() => {
          set.delete(waiter)
          resolve()
        }, timeoutMs).unref()
      })
    },
  }
}
