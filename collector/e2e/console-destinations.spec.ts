import { randomUUID } from 'node:crypto'
import { expect, test } from '@playwright/test'
import { e2eEnv } from '../../pixel/e2e/support/e2e-env'
import { expectClean, newTenant, openPage, serverEvent, signIn } from './support/console-session'
import { a11yViolations } from './support/offline-page'

test('a webhook whose gate holds low-EMQ events: the held event is released from the console', async ({ page }) => {
  const tenant = newTenant()
  const headers = { authorization: `Bearer ${tenant.token}`, 'content-type': 'application/json' }
  const api = `${e2eEnv().collectorUrl}/api/v1/cdp`
  // min_event_emq 100 holds every event below a perfect score, and a new tenant's Poor band holds all (`manual`):
  // collector/docs/trust-engine.md. The URL never answers.
  const created = await fetch(`${api}/destinations`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: 'CRM hook', type: 'webhook', config: { url: 'http://127.0.0.1:9/hook' }, policy: { min_event_emq: 100 } }),
  })
  expect(created.status).toBe(201)
  const { id } = (await created.json()) as { id: string }
  await tenant.send([serverEvent('Lead', [{ type: 'anonymous_id', value: `anon-${randomUUID()}` }])])
  await expect
    .poll(async () => ((await (await fetch(`${api}/destinations/${id}/held`, { headers })).json()) as { events: unknown[] }).events.length, {
      timeout: 30_000,
    })
    .toBe(1)

  const offline = await signIn(page, tenant.token)
  await openPage(page, 'Destinations')
  const row = page.getByRole('row', { name: /CRM hook/ })
  // Cells after the name: level, pending, delivered, held, dead.
  const heldCount = row.getByRole('cell').nth(3)
  await expect(heldCount).toHaveText('1')
  await page.getByRole('button', { name: 'Held events of CRM hook' }).click()
  const held = page.getByRole('region', { name: 'Held events of CRM hook' })
  await expect(held.getByRole('row', { name: /Lead/ })).toContainText(/manual|below_min_event_emq/)
  expect(await a11yViolations(page, 'Destinations', ['serious', 'critical'])).toEqual([])
  await held.getByRole('button', { name: /^Release Lead / }).click()
  await expect(held.getByText('Release: 1 event(s).')).toBeVisible()
  await expect(held.getByText('None.')).toBeVisible()
  await expect(heldCount).toHaveText('0')
  await expectClean(offline)
})
