import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

/** A collector running as its own process, as `stratum start` runs it. */
export interface CollectorProcess {
  url: string
  pid: number
  /** SIGTERM, as an orchestrator would stop it; resolves when the process has exited. */
  stop(): Promise<void>
  /** SIGKILL, as a crash would end it; resolves when the process has exited. */
  kill(): Promise<void>
}

const COLLECTOR_DIR = fileURLToPath(new URL('../..', import.meta.url))
const START_TIMEOUT_MS = 60_000
const STOP_TIMEOUT_MS = 20_000

/**
 * Starts `stratum start` from the collector's sources (the code of this
 * checkout, never a stale build) — or, for tests that `pnpm test` runs after
 * its build, from `dist/`, which starts in a fraction of the time — on a port the OS picks on 127.0.0.1, in
 * production mode without the demo, and waits for its `listening` line.
 * `env` adds the storage settings and the JWT secret; the caller's own
 * `STRATUM_*`, `DATABASE_URL` and `PORT` are left out so that they cannot
 * change what is measured.
 *
 * @example
 * const collector = await startCollector({ STRATUM_JWT_SECRET: secret, DATABASE_URL: url }, 'source', ['--workers', '2'])
 * await collector.stop()
 */
export async function startCollector(
  env: Record<string, string>,
  from: 'source' | 'build' = 'source',
  options: readonly string[] = [],
): Promise<CollectorProcess> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(STRATUM_|DATABASE_URL$|PORT$|HOST$|NODE_ENV$)/.test(key)),
  )
  const entry = from === 'build' ? ['dist/cli.js'] : ['--import', 'tsx', 'src/cli.ts']
  const child = spawn(process.execPath, [...entry, 'start', ...options], {
    cwd: COLLECTOR_DIR,
    env: { ...inherited, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', STRATUM_DEMO: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stderr: string[] = []
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderr.push(line)
    if (stderr.length > 20) stderr.shift()
  })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the collector did not start in time')), START_TIMEOUT_MS)
    // The request log goes on being read (and dropped) so that the pipe never fills.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.includes('"listening"')) return
      clearTimeout(timer)
      resolve((JSON.parse(line) as { url: string }).url)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the collector exited (${code}) before listening:\n${stderr.join('\n')}`))
    })
  })
  return {
    url,
    pid: child.pid!,
    stop: () => stopProcess(child),
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      child.kill('SIGKILL')
      await exited
    },
  }
}

async function stopProcess(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
  await exited
  clearTimeout(timer)
}
