import type { LogFields, LogLevel } from '../log'

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
  /** Stops the resolver and closes the pool; the thread then ends. */
  | { kind: 'close' }

/**
 * What the resolver thread sends back: a settled call; a round's lag, or a
 * lag to forget (no tenant: every tenant's), for the main thread's copy of
 * the lag watch; or a log line for the main thread's logger.
 */
export type ResolverReply =
  | { kind: 'settled'; id: number }
  | { kind: 'lag'; tenantId: string; lagMs: number }
  | { kind: 'forget'; tenantId?: string }
  | { kind: 'log'; level: LogLevel; msg: string; fields: LogFields }
