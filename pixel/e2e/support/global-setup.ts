import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { collectorApi } from './collector-api'
import { COLLECTOR_CLI, mintToken, startCollector } from './collector-process'
import { type E2eEnv, SHOP_HOSTS } from './e2e-env'
import { ensureChromium } from './ensure-chromium'
import { startRecordingProxy } from './recording-proxy'
import { startSiteServer } from './site-server'

const PIXEL_DIST = fileURLToPath(new URL('../../dist/stratum.min.js', import.meta.url))

/**
 * Starts what every pixel e2e spec needs and builds nothing itself (run
 * `pnpm -r build` first): a Chromium (found, or installed when it can be),
 * the real collector on a free port with a fresh
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
  ensureChromium()
  const collector = await startCollector()
  const stops: (() => Promise<unknown>)[] = [() => collector.stop()]
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop()
  }
  try {
    const token = mintToken(randomUUID())
    const proxy = await startRecordingProxy(collector.url)
    stops.push(() => new Promise((resolve) => proxy.server.close(resolve)))
    // The source's allowed origins need the site's port, and the site's pages need the source's key.
    let sourceKey = ''
    const site = await startSiteServer(() => ({ sourceKey, endpoint: proxy.url }))
    stops.push(() => new Promise((resolve) => site.server.close(resolve)))
    const origins = [...SHOP_HOSTS, '127.0.0.1', 'localhost'].map((host) => `http://${host}:${site.port}`)
    sourceKey = (await collectorApi(collector.url, token).createSource('e2e website', origins)).source_key
    const env: E2eEnv = { collectorUrl: collector.url, proxyUrl: proxy.url, token, sourceKey, sitePort: site.port }
    process.env.STRATUM_E2E = JSON.stringify(env)
    return teardown
  } catch (error) {
    // Leave no collector behind when the setup fails half-way.
    await teardown()
    throw error
  }
}
