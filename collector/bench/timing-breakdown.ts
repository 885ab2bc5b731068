import type { TimingBreakdown } from './driver-protocol'
import { percentiles, round } from './stats'

/** One answered batch: its latency as the driver saw it, and the collector's `Server-Timing` parts. */
export interface TimedAnswer {
  latency: number
  server: Readonly<Record<string, number>>
}

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
      // The route's parts as it names them, in its order (collector/docs/pipeline.md), `total` aside.
      const { total, ...parts } = a.server as Record<string, number>
      const inRoute = Object.values(parts).reduce((sum, ms) => sum + ms, 0)
      parts.route = Math.max(0, total! - inRoute)
      parts.outside = Math.max(0, a.latency - total!)
      return { latency: a.latency, parts }
    })
  if (split.length === 0) return null
  const names = Object.keys(split[0]!.parts)
  const slowest = [...split].sort((a, b) => b.latency - a.latency).slice(0, Math.max(1, Math.floor(split.length / 100)))
  const median: Record<string, number> = {}
  const mean: Record<string, number> = {}
  for (const name of names) {
    median[name] = percentiles(split.map((s) => s.parts[name] ?? 0)).p50
    mean[name] = round(slowest.reduce((sum, s) => sum + (s.parts[name] ?? 0), 0) / slowest.length)
  }
  return { median, slowest: mean, slowestCount: slowest.length }
}
