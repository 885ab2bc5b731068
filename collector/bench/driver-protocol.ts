import type { Percentiles } from './stats'

/**
 * What the benchmark asks of its load driver, a child process, over IPC.
 * The driver sends every request; the benchmark's own process only watches
 * (memory, database) so that the load's CPU is not counted twice.
 */
export type DriverCommand =
  | { type: 'setup'; url: string; token: string; runTag: string; people: number }
  | { type: 'phase'; id: number; phase: PhaseSpec }
  | { type: 'exit' }

/**
 * One phase of load.
 * - `warm-up`: every person of the population once, before anything is timed.
 * - `closed`: `connections` requests in flight, each sent when the previous
 *   one on its connection is answered; measured for `seconds` (or until
 *   `bodies` run out) from the moment every connection has had an answer.
 * - `open`: `rate` batches per second on a fixed schedule whatever the
 *   answers, latency counted from the scheduled time (no coordinated omission).
 * - `count`: `bodies` batches at `connections`, then waits until the last
 *   batch's new visitor can be looked up: the span the round-trip counter watches.
 */
export type PhaseSpec =
  | { kind: 'warm-up'; connections: number }
  | { kind: 'closed'; connections: number; seconds: number; bodies: number }
  | { kind: 'open'; rate: number; seconds: number }
  | { kind: 'count'; connections: number; bodies: number }

/** Resolution lag: from a batch's answer to its new visitor's profile answering a lookup by identifier. */
export interface LagFigures extends Percentiles {
  /** Probes given up after the probe timeout (the profile never showed up) or whose lookup failed. */
  timeouts: number
}

/**
 * Where the batches' time went, in milliseconds, from the collector's
 * `Server-Timing` header (`timing-breakdown.ts`): the route's parts, the rest
 * of the route (`route`), and the latency outside it (`outside`).
 */
export interface TimingBreakdown {
  /** Each part's median over the phase's batches. */
  median: Record<string, number>
  /** Each part's mean over the slowest 1 % of the batches: what the p99 is made of. */
  slowest: Record<string, number>
  slowestCount: number
}

/** What one phase measured. */
export interface PhaseResult {
  /** Batches answered within the phase's window. */
  batches: number
  events: number
  /** The measured window's length: `seconds`, or shorter if the bodies ran out. */
  seconds: number
  eventsPerSecond: number
  /** Batch latency, send (or scheduled send) to the end of the answer. */
  latency: Percentiles
  /** Answers other than 200, and failed requests. */
  errors: number
  /** Events of 200 answers that were not `accepted` (rejected, duplicate or suppressed). */
  notAccepted: number
  /** The first few error messages, to say what went wrong. */
  errorSamples: string[]
  lag: LagFigures
  /** Null when the collector sent no `Server-Timing` (`STRATUM_SERVER_TIMING` off). */
  serverTiming: TimingBreakdown | null
  /** True when the pre-built bodies ran out before the time did. */
  exhausted: boolean
}

export type DriverReply = { type: 'ready' } | { type: 'result'; id: number; result: PhaseResult } | { type: 'failed'; id: number; message: string }
