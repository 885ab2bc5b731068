import { expect, test } from '@playwright/test'
import { e2eEnv } from '../../pixel/e2e/support/e2e-env'
import { a11yViolations, openOffline } from './support/offline-page'

/** Every operation of the document the pages render. */
async function operations(): Promise<{ method: string; path: string; operationId: string; summary: string }[]> {
  const doc = (await (await fetch(`${e2eEnv().collectorUrl}/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { operationId: string; summary: string }>>
  }
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, { operationId, summary }]) => ({ method: method.toUpperCase(), path, operationId, summary })),
  )
}

test('Swagger UI at /docs renders every operation offline, with no CSP violation', async ({ page }) => {
  const offline = await openOffline(page, '/docs')
  await expect(page.getByRole('heading', { name: /Stratum CDP collector/ })).toBeVisible()
  const all = await operations()
  expect(all.map((o) => o.operationId)).toEqual(expect.arrayContaining(['ingestEvents', 'rotateSourceKey']))
  for (const { method, path, summary } of all) {
    await expect(page.getByRole('button', { name: `${method} ${path} ${summary}`, exact: true })).toBeVisible()
  }

  // Open one operation and start trying it out: the request body editor appears.
  await page.getByRole('button', { name: 'POST /api/v1/cdp/events Ingest a batch of events' }).click()
  await page.getByRole('button', { name: 'Try it out' }).click()
  await expect(page.locator('textarea.body-param__text')).toBeVisible()
  await page.getByRole('button', { name: 'Authorize', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Available authorizations' })).toBeVisible()
  await expect(page.getByText('X-Source-Key', { exact: true })).toBeVisible()
  await page.getByRole('button', { name: 'Close' }).first().click()

  expect(offline.leftTheMachine).toEqual([])
  expect(await offline.cspViolations()).toEqual([])
  expect(offline.pageErrors).toEqual([])
  expect(await a11yViolations(page, '/docs')).toEqual([])
})

test('ReDoc at /redoc renders every operation and searches offline; only its vendor logo is refused', async ({ page }) => {
  // ReDoc lays out every operation in one main-thread pass before it shows
  // anything: over a minute for ~60 operations on a busy 2-core runner, so
  // the first heading gets the slow test's time, not the 15 s of one expect.
  test.slow()
  const offline = await openOffline(page, '/redoc')
  await expect(page.getByRole('heading', { name: /Stratum CDP collector/ })).toBeVisible({ timeout: 150_000 })
  // Each operation's heading carries a link to its anchor, named after its operationId.
  for (const { operationId, summary } of await operations()) {
    await expect(page.getByRole('heading', { name: `operation/${operationId} ${summary}` })).toBeAttached()
  }

  // The search index runs in a worker built from a blob: URL.
  await page.getByPlaceholder('Search...').fill('consent')
  await expect(page.getByRole('menuitem', { name: /Record consent/ }).first()).toBeVisible()

  expect(offline.leftTheMachine).toEqual([])
  // ReDoc's sidebar footer shows Redocly's logo from its CDN; the page's CSP
  // refuses it, so the browser never asks for it (and ReDoc hides the image).
  expect(await offline.cspViolations()).toEqual(['img-src https://cdn.redoc.ly/redoc/logo-mini.svg'])
  expect(offline.pageErrors).toEqual([])
  expect(await a11yViolations(page, '/redoc')).toEqual([])
})
