import { defineConfig } from '@playwright/test'
import { chromiumLaunchOptions } from './pixel/e2e/support/chromium'

/**
 * End-to-end tests in Debian's Chromium against the real collector, which the
 * global setup starts from `collector/dist` (build first: `pnpm -r build`).
 */
export default defineConfig({
  testMatch: '**/e2e/**/*.spec.ts',
  globalSetup: './pixel/e2e/support/global-setup.ts',
  workers: 2,
  // One retry in CI only, so a timing flake on the shared 2-core machine cannot
  // hide the rest of the run; a retried test is still reported as flaky.
  retries: process.env.CI ? 1 : 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    browserName: 'chromium',
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
})
