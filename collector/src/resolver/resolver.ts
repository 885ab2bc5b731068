import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'
import type { Logger } from '../log'
import { findPendingTenants } from './pending-tenants'
import { resolvePending } from './resolve-pending'

/** How a resolver runs. */
export interface ResolverOptions {
  db: Kysely<Database>
  log?: Logger
  /** Events per round (one transaction). */
  batchSize?: number
  /**
   * How often to look for pending events no `wake` announced: those another
   * collector appended, or a crashed one left. 0 turns the sweep off.
   */
  sweepMs?: number
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
  /** Stops the sweep and waits for running rounds. */
  close(): Promise<void>
}

interface TenantRun {
  running: Promise<void> | null
  again: boolean
  waiters: Array<() => void>
}

const MAX_BACKOFF_MS = 30_000

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
  const batchSize = options.batchSize ?? 1000
  const runs = new Map<string, TenantRun>()
  let closed = false
  let failures = 0

  const pass = async (tenantId: string) => {
    try {
      while (!closed && (await resolvePending(db, tenantId, batchSize)).status === 'more') {}
      failures = 0
    } catch (error) {
      if (closed) return
      failures++
      log?.error('resolution_failed', { tenant: tenantId, error: (error as Error).message, attempt: failures })
      await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_BACKOFF_MS, 50 * 2 ** failures)))
    }
  }

  const loop = async (tenantId: string, run: TenantRun) => {
    do {
      run.again = false
      const waiters = run.waiters.splice(0)
      await pass(tenantId)
      for (const settle of waiters) settle()
    } while (run.again && !closed)
  }

  const kick = (tenantId: string) => {
    let run = runs.get(tenantId)
    if (!run) {
      run = { running: null, again: false, waiters: [] }
      runs.set(tenantId, run)
    }
    if (run.running) {
      run.again = true
      return
    }
    const current = run
    current.running = loop(tenantId, current).finally(() => {
      current.running = null
      if (!closed && (current.again || current.waiters.length > 0)) kick(tenantId)
      else {
        runs.delete(tenantId)
        for (const settle of current.waiters.splice(0)) settle()
      }
    })
  }

  let sweeping = false
  const sweep = async () => {
    if (sweeping || closed) return
    sweeping = true
    try {
      for (const tenantId of await findPendingTenants(db)) kick(tenantId)
    } catch (error) {
      log?.warn('resolution_sweep_failed', { error: (error as Error).message })
    } finally {
      sweeping = false
    }
  }
  const timer = options.sweepMs ? setInterval(sweep, options.sweepMs) : undefined
  timer?.unref()
  if (timer) void sweep()

  return {
    wake: (tenantId) => {
      if (!closed) kick(tenantId)
    },
    drain: (tenantId, timeoutMs) =>
      new Promise<void>((resolve) => {
        if (closed) return resolve()
        if (timeoutMs !== undefined) setTimeout(resolve, timeoutMs).unref()
        let run = runs.get(tenantId)
        if (!run) {
          run = { running: null, again: false, waiters: [] }
          runs.set(tenantId, run)
        }
        run.waiters.push(resolve)
        kick(tenantId)
      }),
    close: async () => {
      closed = true
      if (timer) clearInterval(timer)
      await Promise.all([...runs.values()].map((run) => run.running))
    },
  }
}
