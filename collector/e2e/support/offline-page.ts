import AxeBuilder from '@axe-core/playwright'
import { type Page, test } from '@playwright/test'
import { e2eEnv } from '../../../pixel/e2e/support/e2e-env'

/**
 * What a page of the collector tried: requests to another host (aborted here,
 * as on a machine without internet), Content-Security-Policy violations and
 * uncaught errors.
 */
export interface Offline {
  leftTheMachine: string[]
  pageErrors: string[]
  cspViolations(): Promise<string[]>
}

/**
 * Opens `path` of the collector with every request to another host aborted,
 * recording CSP violations and page errors for the page's whole life.
 *
 * @example
 * const offline = await openOffline(page, '/docs')
 * expect(await offline.cspViolations()).toEqual([])
 */
export async function openOffline(page: Page, path: string): Promise<Offline> {
  const leftTheMachine: string[] = []
  const pageErrors: string[] = []
  await page.context().route('**/*', (route) => {
    const { hostname } = new URL(route.request().url())
    if (hostname === '127.0.0.1' || hostname === 'localhost') return route.continue()
    leftTheMachine.push(route.request().url())
    return route.abort('internetdisconnected')
  })
  page.on('pageerror', (error) => pageErrors.push(error.message))
  // Recorded by the page itself; Playwright's init scripts are not subject to its CSP.
  await page.addInitScript(() => {
    const seen: string[] = []
    Object.assign(window, { __cspViolations: seen })
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`))
  })
  await page.goto(e2eEnv().collectorUrl + path)
  return {
    leftTheMachine,
    pageErrors,
    cspViolations: () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations),
  }
}

/**
 * Runs axe-core on the page as it is; returns the violations of the given
 * impacts (critical only unless told) and attaches every finding to the report.
 *
 * @example
 * expect(await a11yViolations(page, '/docs')).toEqual([])
 * expect(await a11yViolations(page, 'Sources', ['serious', 'critical'])).toEqual([])
 */
export async function a11yViolations(page: Page, name: string, impacts: string[] = ['critical']): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze()
  const found = violations.map((v) => ({
    impact: v.impact ?? 'unknown',
    line: `${v.impact} ${v.id}: ${v.help} (${v.nodes
      .map((n) => n.target.join(' '))
      .slice(0, 3)
      .join(', ')})`,
  }))
  await test.info().attach(`axe ${name}`, { body: found.map((f) => f.line).join('\n') || 'no violations', contentType: 'text/plain' })
  return found.filter((f) => impacts.includes(f.impact)).map((f) => f.line)
}
