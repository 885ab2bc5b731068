import type { LogFields } from '../log'

/** What the resolver thread starts with (`workerData`). */
export interface ResolverThreadData {
  databaseUrl: string
  /** Connections of the thread's own pool. */
  pool: number
  batchSize: number
  sweepMs: number
}

/** A call the collector's main thread sends to its resolver thread; `id` pairs a call with its `settled` answer. */
export type ResolverCall =
  | { kind: 'wake'; tenantId: string }
  | { kind: 'drain'; id: number; tenantId: string; timeoutMs?: number }
  | { kind: 'catchUp'; id: number; tenantId: string; maxLagMs: number; timeoutMs: number }
  /** Stops the resolver and closes the pool; the thread then ends. */
  | { kind: 'close' }

/** What the resolver thread sends back: a settled call, or a log line for the main thread's logger. */
export type ResolverReply =
  | { kind: 'settled'; id: number }
  | { kind: 'log'; level: 'info' | 'warn' | 'error'; msg: string; fields?: LogFields }
