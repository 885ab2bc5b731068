import type { Pool } from 'undici'
import type { PhaseResult } from './driver-protocol'
import type { LagProbe } from './lag-probe'
import { percentiles, round } from './stats'
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

const MAX_ERROR_SAMPLES = 5
const always = () => true

/**
 * Sends batches with `connections` requests in flight (a closed loop). The
 * window opens once every connection has had its first answer, so that the
 * ramp-up (when nothing has come back yet) does not count, and lasts
 * `seconds`, or until the batches run out. Answers outside it are not
 * counted; the requests still in flight at its end are awaited.
 *
 * @example
 * const result = await closedLoop(target, batches, { connections: 8, seconds: 10 })
 */
export async function closedLoop(target: Target, batches: Batch[], options: { connections: number; seconds: number }) {
  const tally = createTally(target)
  let windowStart: number | undefined
  let deadline = Number.POSITIVE_INFINITY
  let answered = 0
  let next = 0
  let lastAnswer = 0
  const inWindow = (at: number) => windowStart !== undefined && at >= windowStart && at <= deadline
  const connection = async () => {
    for (let first = true; next < batches.length && performance.now() < deadline; first = false) {
      const answeredAt = await tally.send(batches[next++]!, performance.now(), inWindow)
      if (inWindow(answeredAt)) lastAnswer = answeredAt
      if (first && ++answered === options.connections) {
        windowStart = answeredAt
        deadline = windowStart + options.seconds * 1000
      }
    }
  }
  await Promise.all(Array.from({ length: options.connections }, connection))
  const exhausted = next >= batches.length && lastAnswer < deadline
  const from = windowStart ?? 0
  return tally.result(((exhausted ? lastAnswer : deadline) - from) / 1000, exhausted)
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
    inFlight.push(tally.send(batches[i]!, due, always))
  }
  await Promise.all(inFlight)
  return tally.result(count / options.rate, count < Math.floor(options.rate * options.seconds))
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
      const answeredAt = await tally.send(batch, performance.now(), always)
      if (answeredAt >= last.answeredAt) last = { visitor: batch.visitor, answeredAt }
    }
  }
  await Promise.all(Array.from({ length: connections }, connection))
  if (last.visitor) await target.probe.awaitVisible(last.visitor, last.answeredAt)
  return tally.result((performance.now() - start) / 1000, false)
}

/** Sends batches and keeps their figures; `sampleLag: false` leaves the lag probe out. */
function createTally(target: Target, sampleLag = true) {
  const latencies: number[] = []
  const errorSamples: string[] = []
  let errors = 0
  let notAccepted = 0
  const fail = (message: string) => {
    errors++
    if (errorSamples.length < MAX_ERROR_SAMPLES) errorSamples.push(message)
  }
  return {
    /** Posts one batch; its figures count if `counts(answer time)`. Returns the answer's time. */
    async send(batch: Batch, since: number, counts: (answeredAt: number) => boolean): Promise<number> {
      try {
        const { statusCode, body } = await target.pool.request({
          method: 'POST',
          path: '/api/v1/cdp/events',
          headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
          body: batch.body,
        })
        const text = await body.text()
        const answeredAt = performance.now()
        if (!counts(answeredAt)) return answeredAt
        if (statusCode !== 200) {
          fail(`${statusCode}: ${text.slice(0, 200)}`)
          return answeredAt
        }
        latencies.push(answeredAt - since)
        notAccepted += BATCH_SIZE - (JSON.parse(text) as { accepted: number }).accepted
        if (sampleLag && batch.visitor) target.probe.offer(batch.visitor, answeredAt)
        return answeredAt
      } catch (error) {
        fail((error as Error).message)
        return performance.now()
      }
    },
    async result(seconds: number, exhausted: boolean): Promise<PhaseResult> {
      const events = latencies.length * BATCH_SIZE
      return {
        batches: latencies.length,
        events,
        seconds: round(seconds),
        eventsPerSecond: seconds > 0 ? Math.round(events / seconds) : 0,
        latency: percentiles(latencies),
        errors,
        notAccepted,
        errorSamples,
        lag: await target.probe.finish(),
        exhausted,
      }
    },
  }
}
