import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { expect, type Page } from '@playwright/test'
import { collectorApi } from '../../../pixel/e2e/support/collector-api'
import { COLLECTOR_CLI, JWT_SECRET, mintToken } from '../../../pixel/e2e/support/collector-process'
import { e2eEnv } from '../../../pixel/e2e/support/e2e-env'
import { type Offline, openOffline } from './offline-page'

/** A fresh tenant of the e2e collector, so a test counts only its own events. */
export interface ConsoleTenant {
  token: string
  api: ReturnType<typeof collectorApi>
  /** `POST /events` with a source key (from a page at `origin`) or, without one, the tenant's JWT; throws on a non-2xx answer. */
  send(events: Record<string, unknown>[], browser?: { sourceKey: string; origin: string }): Promise<void>
}

/**
 * Mints an admin token for a new tenant.
 *
 * @example
 * const tenant = newTenant()
 * await tenant.send([{ event_name: 'PageView', … }])
 */
export function newTenant(): ConsoleTenant {
  const token = mintToken(randomUUID())
  return {
    token,
    api: collectorApi(e2eEnv().collectorUrl, token),
    async send(events, browser) {
      const auth: Record<string, string> = browser
        ? { 'x-source-key': browser.sourceKey, origin: browser.origin }
        : { authorization: `Bearer ${token}` }
      const res = await fetch(`${e2eEnv().collectorUrl}/api/v1/cdp/events`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
      })
      const body = await res.text()
      if (!res.ok) throw new Error(`POST /events answered ${res.status}: ${body}`)
    },
  }
}

/**
 * A JWT for a new tenant with only `scopes`, valid for `ttlSeconds`, minted by the collector's CLI.
 *
 * @example
 * const token = scopedToken('sources:read')
 */
export function scopedToken(scopes: string, ttlSeconds = 3600): string {
  const output = execFileSync(process.execPath, [COLLECTOR_CLI, 'token', '--tenant', randomUUID(), '--scope', scopes, '--ttl', String(ttlSeconds)], {
    env: { ...process.env, STRATUM_JWT_SECRET: JWT_SECRET },
    encoding: 'utf8',
  })
  const token = /ey[\w-]+\.[\w-]+\.[\w-]+/.exec(output)?.[0]
  if (!token) throw new Error(`no JWT in the output of "cli.js token":\n${output}`)
  return token
}

/**
 * Opens the console offline (see {@link openOffline}) and signs in with
 * `token` through the form, as a person would.
 *
 * @example
 * const offline = await signIn(page, tenant.token)
 */
export async function signIn(page: Page, token: string, path = '/console/'): Promise<Offline> {
  const offline = await openOffline(page, path)
  await page.getByLabel('Token').fill(token)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
  return offline
}

/**
 * Goes to a console page through the navigation landmark.
 *
 * @example
 * await openPage(page, 'Live events')
 */
export async function openPage(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name, exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible()
}

/**
 * What every console test ends with: nothing left the machine, no CSP
 * violation, no uncaught error.
 *
 * @example
 * await expectClean(offline)
 */
export async function expectClean(offline: Offline): Promise<void> {
  expect(offline.leftTheMachine).toEqual([])
  expect(await offline.cspViolations()).toEqual([])
  expect(offline.pageErrors).toEqual([])
}

/**
 * An event as a server sends it, with a fresh id and the current time.
 *
 * @example
 * serverEvent('Purchase', [{ type: 'email', value: 'a@b.example' }], { value: 10, currency: 'EUR' })
 */
export function serverEvent(name: string, identifiers: { type: string; value: string }[], properties: Record<string, unknown> = {}) {
  return { event_id: randomUUID(), event_name: name, event_time: new Date().toISOString(), action_source: 'website', identifiers, properties }
}
