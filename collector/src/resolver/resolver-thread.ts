/**
 * The resolver thread's entry (collector/docs/pipeline.md, "Where the
 * resolver runs"): the resolver of `resolver.ts` on a pool of its own,
 * driven by the main thread's calls. Its log lines and its rounds' lag go to
 * the main thread: the lines keep the collector's format and switches, and
 * the main thread answers backpressure (`catchUp`) without asking here.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { createDatabase } from '../db/create-database'
import { loggerFrom } from '../log'
import { createLagWatch, type LagWatch } from './lag-watch'
import { createResolver } from './resolver'
import type { ResolverCall, ResolverReply, ResolverThreadData } from './thread-protocol'

const port = parentPort!
const data = workerData as ResolverThreadData
const reply = (message: ResolverReply) => port.postMessage(message)
const log = loggerFrom((level, msg, fields) => reply({ kind: 'log', level, msg, fields }))
const watch = createLagWatch()
const lag: LagWatch = {
  record: (tenantId, lagMs) => {
    watch.record(tenantId, lagMs)
    reply({ kind: 'lag', tenantId, lagMs })
  },
  forget: (tenantId) => {
    watch.forget(tenantId)
    reply({ kind: 'forget', tenantId })
  },
  within: watch.within,
}

// postgres.js connects on the first query, so this cannot fail on an unreachable server: rounds do, and back off.
// Named with the process, so that an operator tells its connections from the requests' in pg_stat_activity.
const database = await createDatabase({
  databaseUrl: data.databaseUrl,
  maxConnections: data.pool,
  applicationName: `stratum-resolver ${process.pid}`,
})
const resolver = createResolver({ db: database.db, log, lag, batchSize: data.batchSize, sweepMs: data.sweepMs })

port.on('message', async (call: ResolverCall) => {
  switch (call.kind) {
    case 'wake':
      return resolver.wake(call.tenantId)
    case 'drain':
      await resolver.drain(call.tenantId, call.timeoutMs)
      return reply({ kind: 'settled', id: call.id })
    case 'close':
      await resolver.close()
      await database.close()
      // Nothing is left to keep the thread alive: it ends, which the main thread waits for.
      return port.close()
  }
})
