import type { TimingBreakdown } from './driver-protocol'
import { round } from './stats'

/** One answered batch: its latency as the driver saw it, and the collector's `Server-Timing` parts. */
export interface TimedAnswer {
  latency: number
  server: Readonly<Record<string, number>>
}

/** The parts of the events route's `Server-Timing`, in the order a batch goes through them (collector/docs/pipeline.md). */
const PARTS = ['prepare', 'connect', 'append', 'commit', 'wait'] as const

/**
 * Where the batches' time went: each part's median over every batch, and its
 * mean over the slowest 1 % (by latency, at least one batch), which is what
 * a p99 is made of. Besides the route's own parts, `route` is the rest of the
 * route's time (authentication, limits, reading the body) and `outside` is
 * the latency outside the route: the driver's queue, the sockets, Node's
 * HTTP parser and the event loop before the route ran. Null when no answer
 * carried a `Server-Timing` header with a total.
 *
 * @example
 * timingBreakdown([{ latency: 30, server: { prepare: 3, connect: 5, append: 13, commit: 2, wait: 0, total: 25 } }])
 * // { median: { prepare: 3, …, route: 2, outside: 5 }, slowest: { … }, slowestCount: 1 }
 */
export function timingBreakdown(answers: readonly TimedAnswer[]): TimingBreakdown | null {
  const split = answers
    .filter((a) => a.server.total !== undefined)
    .map((a) => {
      const parts: Record<string, number> = {}
      for (const part of PARTS) parts[part] = a.server[part] ?? 0
      const inRoute = PARTS.reduce((sum, part) => sum + parts[part]!, 0)
      parts.route = Math.max(0, a.server.total! - inRoute)
      parts.outside = Math.max(0, a.latency - a.server.total!)
      return { latency: a.latency, parts }
    })
  if (split.length === 0) return null
  const names = Object.keys(split[0]!.parts)
  const slowest = [...split].sort((a, b) => b.latency - a.latency).slice(0, Math.max(1, Math.floor(split.length / 100)))
  const median: Record<string, number> = {}
  const mean: Record<string, number> = {}
  for (const name of names) {
    const values = split.map((s) => s.parts[name]!).sort((a, b) => a - b)
    median[name] = round(values[Math.ceil(values.length / 2) - 1]!)
    mean[name] = round(slowest.reduce((sum, s) => sum + s.parts[name]!, 0) / slowest.length)
  }
  return { median, slowest: mean, slowestCount: slowest.length }
}
