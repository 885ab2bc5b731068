import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../config'
import type { Logger } from '../log'
import { type RunningServer, startServer } from '../server'
import { TEST_SECRET } from './test-app'

/** A real collector on a free port, and what it was started with. */
export interface TestServer {
  server: RunningServer
  config: ReturnType<typeof loadConfig>
  /** Stops the server and removes its data folder. */
  close(): Promise<void>
}

/**
 * Starts the collector over real HTTP on 127.0.0.1 and a free port, over a
 * fresh data folder (PGlite on disk), or on `DATABASE_URL` when set. `env`
 * adds or overrides environment variables; `log` receives the server's log
 * lines (none by default).
 *
 * @example
 * const { server, close } = await startTestServer()
 * await fetch(`${server.url}/livez`)
 */
export async function startTestServer(env: Record<string, string> = {}, options: { log?: Logger } = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stratum-server-'))
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    STRATUM_DATA_DIR: dataDir,
    STRATUM_JWT_SECRET: TEST_SECRET,
    STRATUM_LOG: 'off',
    DATABASE_URL: process.env.DATABASE_URL,
    ...env,
  })
  // A start that fails leaves its folder to the OS's temp cleanup: embedded storage may still be writing to it.
  const server = await startServer(config, { log: options.log })
  return {
    server,
    config,
    close: async () => {
      await server.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
