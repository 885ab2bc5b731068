import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { DriverCommand, DriverReply, PhaseResult, PhaseSpec } from './driver-protocol'

/**
 * Starts the load driver (load-driver.ts) as a child process and talks to it.
 *
 * @example
 * const driver = await startDriver()
 * await driver.setup({ url, token, runTag: 'r1', people: 5000 })
 * const result = await driver.run({ kind: 'closed', connections: 8, seconds: 10, bodies: 300 })
 * driver.stop()
 */
export async function startDriver() {
  const child: ChildProcess = fork(fileURLToPath(new URL('./load-driver.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const waiting = new Map<number | 'ready', { resolve: (value: PhaseResult | undefined) => void; reject: (error: Error) => void }>()
  let nextId = 1
  child.on('message', (message: DriverReply) => {
    const key = message.type === 'ready' ? 'ready' : message.id
    const pending = waiting.get(key)
    waiting.delete(key)
    if (message.type === 'failed') pending?.reject(new Error(`load driver: ${message.message}`))
    else pending?.resolve(message.type === 'result' ? message.result : undefined)
  })
  let gone: Error | undefined
  const failAll = (error: Error) => {
    gone ??= error
    for (const pending of waiting.values()) pending.reject(error)
    waiting.clear()
  }
  child.on('exit', (code, signal) => failAll(new Error(`the load driver exited (${signal ?? code})`)))
  child.on('error', failAll)
  const ask = (key: number | 'ready', command: DriverCommand) =>
    new Promise<PhaseResult | undefined>((resolve, reject) => {
      if (gone || !child.connected) return reject(gone ?? new Error('the load driver is gone'))
      waiting.set(key, { resolve, reject })
      child.send(command, (error) => {
        if (error) reject(error)
      })
    })

  return {
    /** Points the driver at a collector, as a tenant's backend with `token`. */
    async setup(options: { url: string; token: string; runTag: string; people: number }) {
      await ask('ready', { type: 'setup', ...options })
    },
    /** Runs one phase of load and returns what it measured. */
    async run(phase: PhaseSpec): Promise<PhaseResult> {
      const id = nextId++
      return (await ask(id, { type: 'phase', id, phase }))!
    },
    stop() {
      if (child.connected) child.send({ type: 'exit' } satisfies DriverCommand)
    },
  }
}

export type Driver = Awaited<ReturnType<typeof startDriver>>
