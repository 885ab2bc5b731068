import type { PostgresStore } from './bench-store'
import { viaProxy } from './bench-store'
import { startCollector } from '../src/testing/collector-process'
import type { Driver } from './driver-client'
import { startCountingProxy } from './pg-proxy'

/** What PostgreSQL was asked per batch, through the counting proxy. */
export interface RoundTripFigures {
  batches: number
  connections: number
  roundTripsPerBatch: number
  statementsPerBatch: number
  parsesPerBatch: number
  commitsPerBatch: number
  rowsWrittenPerEvent: number
}

const CONNECTIONS = 8

/**
 * Counts what one batch costs PostgreSQL: a second collector is started with
 * its `DATABASE_URL` through a counting proxy (pg-proxy.ts) and sent
 * `batches` batches at 8 connections, after a few untimed ones that open its
 * connections. The count runs until the last batch's new visitor can be looked
 * up, so work done after the answer (resolution) is in it; the few lookups
 * that wait for it are too. A separate collector, because the proxy's extra
 * hop would slow the timed phases. Null when the connection is encrypted.
 *
 * @example
 * const figures = await countRoundTrips({ store, driver, env, token, runTag, people: 5000, batches: 40 })
 */
export async function countRoundTrips(options: {
  store: PostgresStore
  driver: Driver
  env: Record<string, string>
  token: string
  runTag: string
  people: number
  batches: number
}): Promise<RoundTripFigures | null> {
  const upstream = new URL(options.store.url)
  const proxy = await startCountingProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) })
  const collector = await startCollector({ ...options.env, DATABASE_URL: viaProxy(options.store.url, proxy.port) }, 'build')
  try {
    await options.driver.setup({ url: collector.url, token: options.token, runTag: options.runTag, people: options.people })
    await options.driver.run({ kind: 'count', connections: CONNECTIONS, bodies: CONNECTIONS })
    proxy.reset()
    const run = await options.driver.run({ kind: 'count', connections: CONNECTIONS, bodies: options.batches })
    const counts = proxy.counts()
    if (!counts || run.batches === 0) return null
    const per = (n: number, d = run.batches) => Math.round((n / d) * 10) / 10
    return {
      batches: run.batches,
      connections: CONNECTIONS,
      roundTripsPerBatch: per(counts.roundTrips),
      statementsPerBatch: per(counts.statements),
      parsesPerBatch: per(counts.parses),
      commitsPerBatch: per(counts.commits),
      rowsWrittenPerEvent: per(counts.rowsWritten, run.events),
    }
  } finally {
    await collector.stop()
    await proxy.close()
  }
}
