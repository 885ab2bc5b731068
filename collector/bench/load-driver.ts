/**
 * The load driver: a child process of the benchmark that builds the request
 * bodies and sends them to the collector over loopback HTTP with undici, so
 * that sending costs nothing inside the collector's process or the
 * benchmark's. It takes commands over IPC (driver-protocol.ts) and answers
 * each phase with its figures. Bodies are built before a phase starts, never
 * while it is timed.
 */
import { Pool } from 'undici'
import type { DriverCommand, DriverReply, PhaseSpec } from './driver-protocol'
import { lagProbe } from './lag-probe'
import { type Batch, closedLoop, countedRun, openLoop, type Target } from './load-phase'
import { BATCH_SIZE, batchBody, newVisitorId, warmUpBody } from './workload'

let target: (Target & { runTag: string; people: number }) | undefined
let pools: Pool[] = []
let seq = 0

const reply = (message: DriverReply) => process.send?.(message)

function buildBatches(count: number): Batch[] {
  const { runTag, people } = target!
  return Array.from({ length: count }, () => {
    const n = seq++
    return { body: Buffer.from(batchBody({ runTag, people, seq: n })), visitor: newVisitorId(runTag, n) }
  })
}

function run(phase: PhaseSpec) {
  const t = target!
  switch (phase.kind) {
    case 'warm-up': {
      const bodies = Array.from({ length: Math.ceil(t.people / BATCH_SIZE) }, (_, w) => ({
        body: Buffer.from(warmUpBody(w * BATCH_SIZE)),
      }))
      return countedRun(t, bodies, phase.connections)
    }
    case 'closed':
      return closedLoop(t, buildBatches(phase.bodies), phase)
    case 'open':
      return openLoop(t, buildBatches(Math.floor(phase.rate * phase.seconds)), phase)
    case 'count':
      return countedRun(t, buildBatches(phase.bodies), phase.connections)
  }
}

process.on('message', (command: DriverCommand) => {
  if (command.type === 'setup') {
    // A new collector (the one behind the round-trip counter): the old connections go.
    for (const old of pools) void old.destroy()
    // Idle connections are closed after 1 s, well before the server's 5 s keep-alive ends:
    // a POST sent on a connection the server is closing fails, and is not retried.
    const keepAlive = { keepAliveTimeout: 1000, keepAliveMaxTimeout: 1000 }
    const probePool = new Pool(command.url, { connections: 1, ...keepAlive })
    // Up to 64 requests in flight: an open loop whose collector falls behind keeps sending.
    const pool = new Pool(command.url, { connections: 64, pipelining: 1, ...keepAlive })
    pools = [pool, probePool]
    target = { pool, token: command.token, probe: lagProbe(probePool, command.token), runTag: command.runTag, people: command.people }
    reply({ type: 'ready' })
  } else if (command.type === 'phase') {
    run(command.phase).then(
      (result) => reply({ type: 'result', id: command.id, result }),
      (error: Error) => reply({ type: 'failed', id: command.id, message: error.stack ?? error.message }),
    )
  } else {
    process.exit(0)
  }
})
