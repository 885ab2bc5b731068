import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'
import type { Logger } from '../log'
import { createLagWatch, type LagWatch } from './lag-watch'
import { findPendingTenants } from './pending-tenants'
import { resolvePending } from './resolve-pending'

/** How a resolver runs. */
export interface ResolverOptions {
  db: Kysely<Database>
  log?: Logger
  /** Events per round (one transaction); `DEFAULT_ROUND_SIZE.pglite` when left out. */
  batchSize?: number
  /**
   * How often to look for pending events no `wake` announced: those another
   * collector appended, or a crashed one left. 0 turns the sweep off.
   */
  sweepMs?: number
  /**
   * Where rounds report their lag, and `catchUp` waits: a fresh watch when
   * left out. A resolver thread passes one that also tells the main thread,
   * which answers `catchUp` from its own copy without a message per request.
   */
  lag?: LagWatch
}

/** The background resolver of one collector process (collector/docs/pipeline.md). */
export interface Resolver {
  /** Announces new pending events of a tenant; resolution starts soon, in the background. */
  wake(tenantId: string): void
  /**
   * Settles when a pass over the tenant's pending events that started after
   * the call has ended — nothing was left, another process holds the lease,
   * or the round failed — or after `timeoutMs`. Callers that need to know
   * check the outcome in the database.
   */
  drain(tenantId: string, timeoutMs?: number): Promise<void>
  /**
   * Backpressure: settles once this process's latest round for the tenant
   * took events that had waited at most `maxLagMs` (or it has no such
   * measure, or after `timeoutMs`).
   */
  catchUp(tenantId: string, maxLagMs: number, timeoutMs: number): Promise<void>
  /** Stops the sweep and waits for running rounds and a running sweep, so that the caller may close the pool next. */
  close(): Promise<void>
}

interface TenantRun {
  running: Promise<void> | null
  again: boolean
  waiters: Array<() => void>
}

const MAX_BACKOFF_MS = 30_000

/**
 * Events per round by default, by database. On a PostgreSQL server a round's
 * cost is mostly per statement, so larger rounds keep up better under load:
 * at 80 % of the best ingest rate, 4,000 brought the lag p99 from 2.5 s
 * (1,000) to 1.5 s. PGlite runs one statement at a time, so a round holds
 * every request behind it: there 4,000 doubled the answers' p99 and 1,000
 * keeps them short. On PostgreSQL, rounds of 1,000 shortened the p99 at half
 * the rate in 20-s runs, but fell behind over a million events (lag p99 24 s
 * against 2.8 s with 4,000; collector/docs/performance.md, "Tenth pass").
 */
export const DEFAULT_ROUND_SIZE = { postgres: 4000, pglite: 1000 } as const

/**
 * Creates the resolver: per tenant, at most one pass at a time in this
 * process, and one process at a time by the tenant's lease. Wakes during a
 * pass coalesce into one more pass; a failing round backs off exponentially
 * (the events stay pending, nothing is lost) and is logged.
 *
 * @example
 * const resolver = createResolver({ db, sweepMs: 1000 })
 * resolver.wake(tenantId)
 * await resolver.close()
 */
export function createResolver(options: ResolverOptions): Resolver {
  const { db, log } = options
  const batchSize = options.batchSize ?? DEFAULT_ROUND_SIZE.pglite
  const runs = new Map<string, TenantRun>()
  const failures = new Map<string, number>()
  const retries = new Map<string, NodeJS.Timeout>()
  const lag = options.lag ?? createLagWatch()
  let closed = false

  /** Resolves until nothing is left (or the lease is elsewhere); false when a round failed. */
  const pass = async (tenantId: string): Promise<boolean> => {
    try {
      for (;;) {
        if (closed) break
        const outcome = await resolvePending(db, tenantId, batchSize)
        if (outcome.status === 'busy') lag.forget(tenantId)
        else lag.record(tenantId, outcome.status === 'done' ? 0 : outcome.lagMs)
        if (outcome.status !== 'more') break
      }
      failures.delete(tenantId)
      return true
    } catch (error) {
      lag.forget(tenantId)
      if (closed) return false
      const attempt = (failures.get(tenantId) ?? 0) + 1
      failures.set(tenantId, attempt)
      log?.error('resolution_failed', { tenant: tenantId, error: (error as Error).message, attempt })
      // The events stay pending; the next background attempt waits longer each time.
      if (!retries.has(tenantId)) {
        const delay = Math.min(MAX_BACKOFF_MS, 50 * 2 ** attempt)
        const timer = setTimeout(() => {
          retries.delete(tenantId)
          kick(tenantId)
        }, delay)
        timer.unref()
        retries.set(tenantId, timer)
      }
      return false
    }
  }

  const loop = async (tenantId: string, run: TenantRun): Promise<boolean> => {
    for (;;) {
      run.again = false
      const waiters = run.waiters.splice(0)
      const ok = await pass(tenantId)
      for (const settle of waiters) settle()
      if (!ok || closed || !run.again) return ok
    }
  }

  const runOf = (tenantId: string) => {
    let run = runs.get(tenantId)
    if (!run) {
      run = { running: null, again: false, waiters: [] }
      runs.set(tenantId, run)
    }
    return run
  }

  function kick(tenantId: string) {
    if (closed) return
    const run = runOf(tenantId)
    if (run.running) {
      run.again = true
      return
    }
    run.running = loop(tenantId, run).then((ok) => {
      run.running = null
      // A caller waiting is served at once; after a failure, mere wakes wait for the backoff.
      if (!closed && (run.waiters.length > 0 || (ok && run.again))) return kick(tenantId)
      runs.delete(tenantId)
      for (const settle of run.waiters.splice(0)) settle()
    })
  }

  let sweeping: Promise<void> | null = null
  const sweep = () => {
    if (sweeping || closed) return
    sweeping = findPendingTenants(db)
      .then((tenants) => tenants.forEach(kick))
      .catch((error: Error) => log?.warn('resolution_sweep_failed', { error: error.message }))
      .finally(() => {
        sweeping = null
      })
  }
  const timer = options.sweepMs ? setInterval(sweep, options.sweepMs) : undefined
  timer?.unref()
  if (timer) sweep()

  return {
    wake: kick,
    drain: (tenantId, timeoutMs) =>
      new Promise<void>((resolve) => {
        if (closed) return resolve()
        if (timeoutMs !== undefined) setTimeout(resolve, timeoutMs).unref()
        runOf(tenantId).waiters.push(resolve)
        kick(tenantId)
      }),
    catchUp: (tenantId, maxLagMs, timeoutMs) => lag.within(tenantId, maxLagMs, timeoutMs),
    close: async () => {
      closed = true
      lag.forget()
      if (timer) clearInterval(timer)
      for (const retry of retries.values()) clearTimeout(retry)
      // A sweep's query in flight too: a pool closed under it left a connection that kept the resolver thread alive.
      await Promise.all([...runs.values()].map((run) => run.running).concat(sweeping))
    },
  }
}
