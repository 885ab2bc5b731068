import type { LaunchOptions } from '@playwright/test'

/**
 * Launch options for the Chromium that the global setup found or installed
 * (`ensureChromium()`: `CHROMIUM_PATH`, a system Chromium such as Debian's,
 * or Playwright's own). `*.stratum.test` resolves to 127.0.0.1 so cookies can
 * be tested across subdomains.
 *
 * @example
 * test.use({ launchOptions: { ...chromiumLaunchOptions, ignoreDefaultArgs: ['--disable-back-forward-cache'] } })
 */
export const chromiumLaunchOptions: LaunchOptions = {
  // Read in the test worker, which inherits the path the global setup put in CHROMIUM_PATH.
  get executablePath() {
    return process.env.CHROMIUM_PATH
  },
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--host-resolver-rules=MAP *.stratum.test 127.0.0.1',
  ],
}
