import { test as base } from '@playwright/test'
import { type StratumApi, stratumApi } from '../server/src/stratum-api'
import { type Demo, startDemo } from './demo-process'
import { serveSpa } from './spa-server'

/**
 * Fixtures of the examples' journeys. Per worker: `demo`, the collector and
 * its demo shop started as `pnpm start` does; `spaUrl`, the SPA example built
 * for the demo source (only for tests that use it). Per test: `api`, the
 * server example's REST client with the demo's JWT.
 */
export const test = base.extend<{ api: StratumApi }, { demo: Demo; spaUrl: string }>({
  demo: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be destructured.
    async ({}, use) => {
      const demo = await startDemo()
      await use(demo)
      await demo.stop()
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  spaUrl: [
    async ({ demo }, use) => {
      const spa = await serveSpa(demo)
      await use(spa.url)
      await spa.close()
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  api: async ({ demo }, use) => use(stratumApi({ baseUrl: demo.apiUrl, token: demo.token })),
})

export { expect } from '@playwright/test'
