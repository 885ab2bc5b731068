import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { collectorApi } from './collector-api'
import { COLLECTOR_CLI, freePort, mintToken, startCollector } from './collector-process'
import { type E2eEnv, SHOP_HOSTS } from './e2e-env'
import { startRecordingProxy } from './recording-proxy'
import { startSiteServer } from './site-server'

const PIXEL_DIST = fileURLToPath(new URL('../../dist/stratum.min.js', import.meta.url))

/**
 * Starts what every pixel e2e spec needs and builds nothing itself (run
 * `pnpm -r build` first): the real collector on a free port with a fresh
 * embedded database, a tenant with an admin token and a website source, a
 * recording proxy in front of the collector (the pages' endpoint), and the
 * test shop's server. Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  for (const [file, what] of [
    [COLLECTOR_CLI, 'collector'],
    [PIXEL_DIST, 'pixel'],
  ] as const) {
    if (!existsSync(file)) throw new Error(`${file} is missing: build the ${what} first (pnpm -r build)`)
  }
  const collector = await startCollector()
  const token = mintToken(randomUUID())
  const sitePort = await freePort()
  const origins = [...SHOP_HOSTS, '127.0.0.1', 'localhost'].map((host) => `http://${host}:${sitePort}`)
  const source = await collectorApi(collector.url, token).createSource('e2e website', origins)
  const proxyPort = await freePort()
  const proxy = await startRecordingProxy(proxyPort, collector.url)
  const proxyUrl = `http://127.0.0.1:${proxyPort}`
  const site = await startSiteServer(sitePort, { sourceKey: source.source_key, endpoint: proxyUrl })
  const env: E2eEnv = { collectorUrl: collector.url, proxyUrl, token, sourceKey: source.source_key, sitePort }
  process.env.STRATUM_E2E = JSON.stringify(env)
  return async () => {
    await new Promise((resolve) => site.close(resolve))
    await new Promise((resolve) => proxy.close(resolve))
    await collector.stop()
  }
}
