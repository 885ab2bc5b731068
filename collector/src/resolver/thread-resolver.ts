import { Worker } from 'node:worker_threads'
import type { Logger } from '../log'
import { createLagWatch } from './lag-watch'
import type { Resolver } from './resolver'
import type { ResolverCall, ResolverReply, ResolverThreadData } from './thread-protocol'

/** How the resolver thread runs, and where its log lines go. */
export interface ThreadResolverOptions extends ResolverThreadData {
  log?: Logger
}

const MAX_RESTART_DELAY_MS = 30_000
/** A thread that lived this long before it ended starts its restarts from the shortest delay again. */
const HEALTHY_LIFETIME_MS = 60_000
const CLOSE_TIMEOUT_MS = 20_000

/**
 * The resolver of a collector on a PostgreSQL server, in a worker thread
 * with a pool of its own, so that resolution rounds — thousands of rows
 * parsed, planned and serialised at a time — never hold up the event loop
 * that answers requests (collector/docs/pipeline.md, "Where the resolver
 * runs"). It keeps the {@link Resolver} contract: the calls travel as
 * messages, except `catchUp`, which the rounds' relayed lag answers here; a
 * call the thread cannot answer — it ended — settles at once,
 * as after a failed round. A thread that ends unasked is logged and started
 * again after a growing delay; events stay pending meanwhile, and the new
 * thread's sweep and the wakes it missed find them.
 *
 * @example
 * const resolver = createThreadResolver({ databaseUrl, pool: 4, batchSize: 4000, sweepMs: 1000, log })
 * resolver.wake(tenantId)
 * await resolver.close()
 */
export function createThreadResolver(options: ThreadResolverOptions): Resolver {
  const { log, ...data } = options
  // The main thread's copy of the rounds' lag: backpressure asks it on every request, so it must not cost a message.
  const lag = createLagWatch()
  const waiting = new Map<number, () => void>()
  const missed = new Set<string>()
  let nextId = 0
  let restarts = 0
  let closed = false
  let thread: Worker | null = null
  let closing: Promise<void> | undefined

  const start = () => {
    const started = Date.now()
    const worker = startThread(data)
    worker.unref()
    worker.on('message', (reply: ResolverReply) => {
      if (reply.kind === 'settled') settle(reply.id)
      else if (reply.kind === 'lag') lag.record(reply.tenantId, reply.lagMs)
      else if (reply.kind === 'forget') lag.forget(reply.tenantId)
      else log?.[reply.level](reply.msg, reply.fields)
    })
    worker.on('error', (error) => log?.error('resolver_thread_failed', { error: error.message }))
    worker.on('exit', (code) => {
      thread = null
      // Nobody measures the lag now, so nobody is held by it; calls the thread cannot answer settle.
      lag.forget()
      for (const id of [...waiting.keys()]) settle(id)
      if (closed) return
      restarts = Date.now() - started >= HEALTHY_LIFETIME_MS ? 1 : restarts + 1
      const delay = Math.min(MAX_RESTART_DELAY_MS, 100 * 2 ** restarts)
      log?.error('resolver_thread_ended', { code, restart_in_ms: delay })
      setTimeout(() => {
        if (!closed) start()
      }, delay).unref()
    })
    thread = worker
    for (const tenantId of missed) send({ kind: 'wake', tenantId })
    missed.clear()
  }
  const settle = (id: number) => {
    waiting.get(id)?.()
    waiting.delete(id)
  }
  const send = (call: ResolverCall) => thread?.postMessage(call)
  const ask = (call: (id: number) => ResolverCall) =>
    new Promise<void>((resolve) => {
      if (!thread) return resolve()
      const id = nextId++
      waiting.set(id, resolve)
      send(call(id))
    })

  start()
  return {
    wake: (tenantId) => {
      if (closed) return
      if (thread) send({ kind: 'wake', tenantId })
      else missed.add(tenantId)
    },
    drain: (tenantId, timeoutMs) => ask((id) => ({ kind: 'drain', id, tenantId, timeoutMs })),
    catchUp: (tenantId, maxLagMs, timeoutMs) => lag.within(tenantId, maxLagMs, timeoutMs),
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        closed = true
        lag.forget()
        const worker = thread
        if (!worker) return resolve()
        // Unref'd while it runs, so that it never keeps a finished process alive; while it closes, the
        // process must wait for it, or it would exit in the middle once nothing else is left to do.
        worker.ref()
        const bound = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS)
        worker.once('exit', () => {
          clearTimeout(bound)
          resolve()
        })
        send({ kind: 'close' })
      })),
  }
}

/**
 * Starts the thread from the built `resolver-thread.js` beside this module,
 * or — run from the sources, as in development and tests — from
 * `resolver-thread.ts` through tsx's loader, which a worker does not inherit
 * from its parent's `--import`.
 */
function startThread(data: ResolverThreadData): Worker {
  const fromSources = import.meta.url.endsWith('.ts')
  const entry = new URL(fromSources ? './resolver-thread.ts' : './resolver-thread.js', import.meta.url)
  if (!fromSources) return new Worker(entry, { workerData: data })
  const tsx = import.meta.resolve('tsx/esm/api')
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}) })`
  return new Worker(boot, { eval: true, workerData: data })
}
