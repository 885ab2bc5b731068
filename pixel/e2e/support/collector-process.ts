import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The collector's CLI, built by `pnpm -r build`; the e2e suite builds nothing itself. */
export const COLLECTOR_CLI = fileURLToPath(new URL('../../../collector/dist/cli.js', import.meta.url))
export const JWT_SECRET = 'stratum-e2e-jwt-secret-of-at-least-32-chars'
const SCOPES = 'events:write profiles:read sources:read sources:write admin'

/** A collector running in a child process. */
export interface CollectorProcess {
  url: string
  port: number
  dataDir: string
  /** Stops it (SIGTERM, then SIGKILL after 10 s) and resolves once it has exited. */
  stop(): Promise<void>
}

const collectorEnv = (extra: Record<string, string>) => ({
  ...process.env,
  STRATUM_JWT_SECRET: JWT_SECRET,
  STRATUM_DEMO: 'off',
  STRATUM_LOG: 'on',
  ...extra,
})

/**
 * Starts `node collector/dist/cli.js start` on embedded PostgreSQL (or on
 * `DATABASE_URL`) on a port the OS picks, and waits until `/readyz` answers
 * 200. Pass `port` and `dataDir` to restart a stopped collector where it was.
 *
 * @example
 * const collector = await startCollector()
 * await collector.stop()
 */
export async function startCollector(options: { port?: number; dataDir?: string } = {}): Promise<CollectorProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'stratum-e2e-'))
  const child: ChildProcess = spawn(process.execPath, [COLLECTOR_CLI, 'start'], {
    env: collectorEnv({ PORT: String(options.port ?? 0), HOST: '127.0.0.1', STRATUM_DATA_DIR: dataDir }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  // The log line `{"msg":"listening","url":…}` says which port the OS picked.
  const listening = () => /"msg":"listening"[^\n]*"url":"(http:\/\/[^"]+)"/.exec(output)?.[1]
  const isReady = (url: string) =>
    fetch(`${url}/readyz`).then(
      (response) => response.ok,
      () => false,
    )
  const deadline = Date.now() + 90_000
  let url = listening()
  while (!url || !(await isReady(url))) {
    if (child.exitCode !== null) throw new Error(`collector exited with ${child.exitCode}:\n${output}`)
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`collector not ready after 90 s:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
    url ??= listening()
  }
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    async stop() {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(killer)
    },
  }
}

/**
 * A JWT for `tenant` with every scope, minted by the collector's CLI.
 *
 * @example
 * const token = mintToken(randomUUID())
 */
export function mintToken(tenant: string): string {
  const output = execFileSync(process.execPath, [COLLECTOR_CLI, 'token', '--tenant', tenant, '--scope', SCOPES], {
    env: collectorEnv({}),
    encoding: 'utf8',
  })
  const token = output.match(/ey[\w-]+\.[\w-]+\.[\w-]+/)?.[0]
  if (!token) throw new Error(`no JWT in the output of "cli.js token":\n${output}`)
  return token
}
