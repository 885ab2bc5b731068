import type { Context } from 'hono'
import { setMetric, timing } from 'hono/timing'
import type { AppEnv } from './app-env'

/**
 * A `Server-Timing` header on the route's answers when `STRATUM_SERVER_TIMING`
 * is on (collector/docs/pipeline.md, "Where a batch's time goes"): `total` is
 * the route's whole time, from this middleware on, and the handler adds its
 * parts with `reportTiming`. Off by default: it tells any caller how long the
 * server's database took. Same-origin only (no `Timing-Allow-Origin`), so a
 * page's scripts on another origin cannot read it.
 *
 * @example
 * app.use('/events', serverTiming())
 */
export function serverTiming() {
  return timing({ enabled: (c) => (c as Context<AppEnv>).get('services').config.serverTiming, totalDescription: 'route' })
}

/**
 * Adds each part, in milliseconds, to the answer's `Server-Timing` header.
 *
 * @example
 * reportTiming(c, { prepare: 2.9, append: 12.8 }) // Server-Timing: prepare;dur=2.9, append;dur=12.8, total;dur=…
 */
export function reportTiming(c: Context<AppEnv>, parts: Readonly<Record<string, number>>): void {
  for (const [name, ms] of Object.entries(parts)) setMetric(c, name, ms)
}

/**
 * The durations of a `Server-Timing` header, by name; metrics without a
 * `dur` are left out. For a caller that reads the collector's answers, such
 * as the benchmark's load driver.
 *
 * @example
 * parseServerTiming('append;dur=12.8, total;dur=30.1;desc="route"') // { append: 12.8, total: 30.1 }
 */
export function parseServerTiming(header: string | null | undefined): Record<string, number> {
  const parts: Record<string, number> = {}
  for (const metric of splitOutsideQuotes(header ?? '', ',')) {
    const [name, ...params] = splitOutsideQuotes(metric, ';').map((p) => p.trim())
    const dur = params.find((p) => p.startsWith('dur='))
    if (name && dur !== undefined && Number.isFinite(Number(dur.slice(4)))) parts[name] = Number(dur.slice(4))
  }
  return parts
}

/** Splits at `separator`, except inside a quoted string (a `desc` may hold one). */
function splitOutsideQuotes(text: string, separator: ',' | ';'): string[] {
  return text.match(separator === ',' ? /(?:[^,"]|"(?:[^"\\]|\\.)*")+/g : /(?:[^;"]|"(?:[^"\\]|\\.)*")+/g) ?? []
}
