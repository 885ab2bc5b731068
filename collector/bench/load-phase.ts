import type { Pool } from 'undici'
import type { PhaseResult } from './driver-protocol'
import type { LagProbe } from './lag-probe'
import { parseServerTiming } from '../src/http/server-timing'
import { percentiles, round } from './stats'
import { type TimedAnswer, timingBreakdown } from './timing-breakdown'
import { BATCH_SIZE } from './workload'

/** A pre-built request body and the new visitor it brings (none in warm-up bodies). */
export interface Batch {
  body: Buffer
  visitor?: string
}

/** Where and as whom the load is sent. */
export interface Target {
  pool: Pool
  token: string
  probe: LagProbe
}

/** The span whose answers make the rate; latencies count from `from` on, up to the last answer. */
interface Window {
  from: number
  to: number
}

const MAX_ERROR_SAMPLES = 5

/**
 * Sends batches with `connections` requests in flight (a closed loop). The
 * window opens at the `connections`-th answer, once the ramp-up (when nothing
 * has come back yet) is over, and lasts `seconds`, or until the batches run
 * out. The rate counts the answers inside it. The requests still in flight at
 * its end are awaited and their latencies count, so that a request left
 * waiting for the whole phase still shows in p99.
 *
 * @example
 * const result = await closedLoop(target, batches, { connections: 8, seconds: 10 })
 */
export async function closedLoop(target: Target, batches: Batch[], options: { connections: number; seconds: number }) {
  const tally = createTally(target)
  const window: Window = { from: Number.POSITIVE_INFINITY, to: Number.POSITIVE_INFINITY }
  let answers = 0
  let next = 0
  const connection = async () => {
    while (next < batches.length && performance.now() < window.to) {
      const answeredAt = await tally.send(batches[next++]!, performance.now())
      if (++answers === options.connections) {
        window.from = answeredAt
        window.to = answeredAt + options.seconds * 1000
      }
    }
  }
  await Promise.all(Array.from({ length: options.connections }, connection))
  const exhausted = next >= batches.length && tally.lastAnswer() < window.to
  if (exhausted) window.to = tally.lastAnswer()
  return tally.result(window, exhausted)
}

/**
 * Sends `rate` batches per second on a fixed schedule for `seconds`, however
 * slow the answers: the latency of each is counted from the time it was due,
 * so a stall shows in the figures instead of slowing the load down.
 *
 * @example
 * const result = await openLoop(target, batches, { rate: 6, seconds: 10 })
 */
export async function openLoop(target: Target, batches: Batch[], options: { rate: number; seconds: number }) {
  const tally = createTally(target)
  const start = performance.now()
  const count = Math.min(batches.length, Math.floor(options.rate * options.seconds))
  const inFlight: Promise<number>[] = []
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / options.rate
    const wait = due - performance.now()
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait))
    inFlight.push(tally.send(batches[i]!, due))
  }
  await Promise.all(inFlight)
  // Every batch counts; the rate is the one the schedule offered, if all were answered.
  return tally.result({ from: start, to: Number.POSITIVE_INFINITY }, count < Math.floor(options.rate * options.seconds), count / options.rate)
}

/**
 * Sends `batches` at `connections` in flight, all of them counted, then waits
 * until the last one's new visitor can be looked up.
 *
 * @example
 * const result = await countedRun(target, batches, 8)
 */
export async function countedRun(target: Target, batches: Batch[], connections: number) {
  const tally = createTally(target, false)
  const start = performance.now()
  let next = 0
  let last: { visitor?: string; answeredAt: number } = { answeredAt: start }
  const connection = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!
      const answeredAt = await tally.send(batch, performance.now())
      if (answeredAt >= last.answeredAt) last = { visitor: batch.visitor, answeredAt }
    }
  }
  await Promise.all(Array.from({ length: connections }, connection))
  if (last.visitor) await target.probe.awaitVisible(last.visitor, last.answeredAt)
  const end = performance.now()
  return tally.result({ from: start, to: end }, false)
}

/** Sends batches and keeps each answer's time and latency; `sampleLag: false` leaves the lag probe out. */
function createTally(target: Target, sampleLag = true) {
  const answers: Array<TimedAnswer & { at: number }> = []
  const errorSamples: string[] = []
  let lastAnswer = 0
  let errors = 0
  let notAccepted = 0
  const fail = (message: string) => {
    errors++
    if (errorSamples.length < MAX_ERROR_SAMPLES) errorSamples.push(message)
  }
  return {
    /** Posts one batch whose latency runs from `since`. Returns the answer's time. */
    async send(batch: Batch, since: number): Promise<number> {
      try {
        const { statusCode, headers, body } = await target.pool.request({
          method: 'POST',
          path: '/api/v1/cdp/events',
          headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
          body: batch.body,
        })
        const text = await body.text()
        const at = performance.now()
        if (statusCode !== 200) {
          fail(`${statusCode}: ${text.slice(0, 200)}`)
          return at
        }
        answers.push({ at, latency: at - since, server: parseServerTiming(headers['server-timing'] as string | undefined) })
        lastAnswer = Math.max(lastAnswer, at)
        notAccepted += BATCH_SIZE - Number((JSON.parse(text) as { accepted?: number }).accepted ?? 0)
        if (sampleLag && batch.visitor) target.probe.offer(batch.visitor, at)
        return at
      } catch (error) {
        fail((error as Error).message)
        return performance.now()
      }
    },
    lastAnswer: () => lastAnswer,
    /** The figures of `window`; `seconds` defaults to its length. */
    async result(window: Window, exhausted: boolean, seconds = Math.max(0, window.to - window.from) / 1000): Promise<PhaseResult> {
      const counted = answers.filter((a) => a.at >= window.from)
      const batches = counted.filter((a) => a.at <= window.to).length
      const events = batches * BATCH_SIZE
      return {
        batches,
        events,
        seconds: round(seconds),
        eventsPerSecond: seconds > 0 ? Math.round(events / seconds) : 0,
        latency: percentiles(counted.map((a) => a.latency)),
        errors,
        notAccepted,
        errorSamples,
        lag: await target.probe.finish(),
        serverTiming: timingBreakdown(counted),
        exhausted,
      }
    },
  }
}
