import type { LaunchOptions } from '@playwright/test'

/**
 * Launch options for Debian's Chromium (`CHROMIUM_PATH`, default
 * `/usr/bin/chromium`); never a browser downloaded by Playwright.
 * `*.stratum.test` resolves to 127.0.0.1 so cookies can be tested across
 * subdomains.
 *
 * @example
 * test.use({ launchOptions: { ...chromiumLaunchOptions, ignoreDefaultArgs: ['--disable-back-forward-cache'] } })
 */
export const chromiumLaunchOptions: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--host-resolver-rules=MAP *.stratum.test 127.0.0.1',
  ],
}
