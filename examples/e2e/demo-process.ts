import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { COLLECTOR_CLI } from '../../pixel/e2e/support/collector-process'

/** One line of the collector's request log. */
export interface LoggedRequest {
  method: string
  path: string
  status: number
}

/** `stratum start` with its demo, as `pnpm start` runs it, and what its banner printed. */
export interface Demo {
  shopUrl: string
  /** The collector's origin. */
  collectorUrl: string
  /** The REST API's base URL, `…/api/v1/cdp`. */
  apiUrl: string
  sourceKey: string
  /** The demo shop backend's secret, from which Purchase event ids are derived (examples/server's ORDER_EVENT_SECRET). */
  shopSecret: string
  token: string
  /** Requests the collector logged so far (it logs every one, beacons and unload flushes included). */
  requests(): LoggedRequest[]
  stop(): Promise<void>
}

/**
 * Starts the built collector CLI (`collector/dist/cli.js start`) the way a
 * newcomer's `pnpm start` does — demo on, fresh data folder, no JWT secret —
 * on ports the OS picks (on `DATABASE_URL` when the suite runs on PostgreSQL), and reads the shop URL, API URL, source key and dev JWT
 * from the banner it prints.
 *
 * @example
 * const demo = await startDemo()
 * await page.goto(demo.shopUrl)
 * await demo.stop()
 */
export async function startDemo(): Promise<Demo> {
  const child = spawn(process.execPath, [COLLECTOR_CLI, 'start'], {
    // A user's environment: none of the runner's STRATUM_* or NODE_ENV; the suite's PostgreSQL server when it has one.
    env: {
      ...(process.env.DATABASE_URL && { DATABASE_URL: process.env.DATABASE_URL }),
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      HOST: '127.0.0.1',
      // Port 0: the OS picks free ports while binding, and the banner prints them.
      PORT: '0',
      STRATUM_DEMO_PORT: '0',
      STRATUM_DATA_DIR: mkdtempSync(join(tmpdir(), 'stratum-examples-e2e-')),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const banner = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner after 90 s:\n${stdout}\n${stderr}`)), 90_000)
    child.stdout.on('data', () => {
      if (!stdout.includes('is running')) return
      clearTimeout(timer)
      resolve(stdout)
    })
    child.once('exit', (code) => reject(new Error(`stratum start exited with ${code}:\n${stdout}\n${stderr}`)))
  })
  const printed = (label: string) => {
    const value = new RegExp(`${label}:\\s+(\\S+)`).exec(banner)?.[1]
    if (!value) throw new Error(`no "${label}" in the banner:\n${banner}`)
    return value
  }
  const apiUrl = printed('API')
  return {
    shopUrl: printed('Demo shop'),
    collectorUrl: new URL(apiUrl).origin,
    apiUrl,
    sourceKey: printed('Source key'),
    shopSecret: printed('Shop secret'),
    token: printed('Dev JWT'),
    requests: () =>
      stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as LoggedRequest & { msg: string })
        .filter((line) => line.msg === 'request'),
    async stop() {
      child.kill('SIGTERM')
      await exited
    },
  }
}
