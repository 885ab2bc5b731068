import { randomUUID } from 'node:crypto'
import { expect, test } from '@playwright/test'
import { e2eEnv } from '../../pixel/e2e/support/e2e-env'
import { expectClean, newTenant, openPage, scopedToken, serverEvent, signIn } from './support/console-session'
import { a11yViolations, openOffline } from './support/offline-page'

const SERIOUS = ['serious', 'critical']

test('sign in with a token: the tenant and scopes show; a refused token says so; sign out', async ({ page }) => {
  const tenant = newTenant()
  const offline = await openOffline(page, '/console/')
  await page.getByLabel('Token').fill('not-a-jwt')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('alert')).toContainText('refused the token')
  expect(await a11yViolations(page, 'Sign in', SERIOUS)).toEqual([])

  await page.getByLabel('Token').fill(tenant.token)
  await page.getByRole('button', { name: 'Sign in' }).click()
  const scopes = page.getByText(/^Scopes: /)
  for (const scope of ['events:write', 'profiles:read', 'sources:read', 'sources:write', 'admin']) await expect(scopes).toContainText(scope)
  expect(await page.evaluate(() => Object.keys(sessionStorage))).toEqual(['stratum.console.token'])
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page.getByLabel('Token')).toBeVisible()
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0)
  await expectClean(offline)
})

test('the development link signs in from the fragment and takes the token out of the address bar', async ({ page }) => {
  const tenant = newTenant()
  const offline = await openOffline(page, `/console/#token=${tenant.token}`)
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
  expect(page.url()).toBe(`${e2eEnv().collectorUrl}/console/`)
  await expect(page.getByRole('heading', { level: 1, name: 'Signal health' })).toBeVisible()
  await expectClean(offline)
})

test('create a source in the UI, send events with its key, watch them arrive live and open one', async ({ page }) => {
  const tenant = newTenant()
  const offline = await signIn(page, tenant.token)
  await openPage(page, 'Sources')
  await expect(page.getByText('No source yet')).toBeVisible()
  await page.getByLabel('Name', { exact: true }).fill('Landing pages')
  await page.getByLabel('Allowed origins', { exact: true }).fill('https://www.shop.example')
  await page.getByRole('button', { name: 'Create source' }).click()
  const key = (await page.getByRole('status').filter({ hasText: 'Created Landing pages' }).locator('code').textContent()) ?? ''
  expect(key).toMatch(/^sk_/)
  await page.getByText('Install: script tag and npm').click()
  await expect(page.getByText(`data-source-key="${key}"`)).toBeVisible()
  await page.getByLabel('Allowed origins of Landing pages').fill('https://www.shop.example\nhttps://blog.shop.example')
  await page.getByRole('button', { name: 'Save origins' }).click()
  await expect(page.getByText('Saved.')).toBeVisible()
  expect(await a11yViolations(page, 'Sources', SERIOUS)).toEqual([])

  await openPage(page, 'Live events')
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible()
  await tenant.send([serverEvent('ViewContent', [{ type: 'anonymous_id', value: `anon-${randomUUID()}` }])], { sourceKey: key, origin: 'https://www.shop.example' })
  const row = page.getByRole('row').filter({ hasText: 'ViewContent' })
  await expect(row).toContainText('Landing pages')
  await expect(row).toContainText('anonymous_id')
  await expect(row.locator('.band')).toHaveText(/\d+\.\d (excellent|good|fair|poor)/)

  await page.getByRole('button', { name: 'Pause' }).click()
  await tenant.send([serverEvent('AddToCart', [{ type: 'anonymous_id', value: `anon-${randomUUID()}` }])], { sourceKey: key, origin: 'https://www.shop.example' })
  await expect(page.getByRole('status').filter({ hasText: 'paused' })).toBeVisible()
  await page.getByRole('button', { name: 'Resume' }).click()
  await expect(page.getByRole('row').filter({ hasText: 'AddToCart' })).toBeVisible()

  await row.getByRole('button', { name: 'ViewContent' }).click()
  await expect(page.getByRole('table', { name: 'EMQ breakdown' })).toBeVisible()
  await expect(page.getByRole('row', { name: /Identifier quality/ })).toBeVisible()
  expect(await a11yViolations(page, 'Live events', SERIOUS)).toEqual([])
  await expectClean(offline)
})

test('find a profile by raw email: only its hash leaves the page; the journey and consent show', async ({ page }) => {
  const tenant = newTenant()
  // A real-looking domain: reserved ones (.example, .test) are junk and never identify anyone.
  const email = `Jane.${randomUUID().slice(0, 8)}@Stratum-Shop.com`
  await tenant.send([
    serverEvent('PageView', [{ type: 'email', value: email }]),
    serverEvent('Purchase', [{ type: 'email', value: email }], { value: 42, currency: 'EUR', order_id: 'A-1' }),
  ])
  // Events are resolved into profiles moments after they are accepted.
  await expect.poll(() => tenant.api.profileId('email', email), { timeout: 30_000 }).toBeTruthy()
  const offline = await signIn(page, tenant.token)
  const sent: string[] = []
  page.on('request', (request) => sent.push(`${request.url()} ${request.postData() ?? ''}`))
  await openPage(page, 'Profiles')
  expect(await a11yViolations(page, 'Profiles', SERIOUS)).toEqual([])
  await page.getByLabel('Identifier', { exact: true }).fill(email)
  await page.getByRole('button', { name: 'Find profile' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Profile', exact: true })).toBeVisible()
  const journey = page.getByRole('region', { name: 'Journey' })
  await expect(journey.getByRole('listitem')).toHaveCount(2)
  await expect(journey.getByRole('button', { name: 'Purchase' })).toBeVisible()
  await expect(page.getByRole('region', { name: 'Consent' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Erase this person' })).toBeVisible()
  expect(await a11yViolations(page, 'Profile', SERIOUS)).toEqual([])

  const lowered = email.toLowerCase()
  const forms = [email, lowered, encodeURIComponent(email), encodeURIComponent(lowered)]
  expect(sent.filter((line) => forms.some((form) => line.includes(form)))).toEqual([])
  expect(sent.some((line) => /identifier_type=email&identifier_value=[0-9a-f]{64}/.test(line))).toBe(true)
  await expectClean(offline)
})

test('signal health draws its chart from the events, with a table alternative', async ({ page }) => {
  const tenant = newTenant()
  await tenant.send([serverEvent('Lead', [{ type: 'email', value: `lead-${randomUUID()}@shop.example` }])])
  const offline = await signIn(page, tenant.token)
  await expect(page.getByRole('heading', { level: 1, name: 'Signal health' })).toBeVisible()
  await expect(page.getByRole('img', { name: /Events per hour and mean EMQ/ }).locator('canvas')).toBeVisible()
  await page.getByText('The chart as a table').click()
  const rows = page.getByRole('table', { name: /Events per hour and mean EMQ/ }).getByRole('row')
  expect(await rows.count()).toBeGreaterThan(1)
  await expect(rows.filter({ has: page.getByRole('cell', { name: '1', exact: true }) })).toHaveCount(1)
  // Events sent with a JWT are the tenant's server signal.
  await expect(page.getByRole('rowheader', { name: 'server', exact: true })).toBeVisible()
  expect(await a11yViolations(page, 'Signal health', SERIOUS)).toEqual([])
  await expectClean(offline)
})

test('the ROI calculator projects conversions, revenue and ROAS from the inputs', async ({ page }) => {
  const tenant = newTenant()
  const offline = await signIn(page, tenant.token)
  await openPage(page, 'ROI calculator')
  await page.getByLabel('Monthly ad spend').fill('10000')
  await page.getByLabel('Conversions per month').fill('200')
  await page.getByLabel('Average order value').fill('80')
  await page.getByLabel('Current EMQ').fill('45')
  await page.getByLabel('Target EMQ').fill('85')
  // projectRoi: 200 × m(85) / m(45) with m(e) = 0.3 + 0.6 e / 100 → 284.2; ROAS 1.60 → 2.27.
  await expect(page.getByRole('row', { name: /Attributed conversions/ })).toContainText('+84')
  await expect(page.getByRole('row', { name: /ROAS/ })).toContainText('2.27')
  await page.getByLabel('Target EMQ').fill('140')
  await expect(page.getByText('targetEmq must be a number from 0 to 100')).toBeVisible()
  expect(await a11yViolations(page, 'ROI calculator', SERIOUS)).toEqual([])
  await expectClean(offline)
})

test('a token without a scope a page needs: the page names the scope', async ({ page }) => {
  const offline = await signIn(page, scopedToken('sources:read'))
  await expect(page.getByRole('alert').first()).toContainText('Your token lacks the "profiles:read" scope this needs.')
  await openPage(page, 'Sources')
  await expect(page.getByText('No source yet')).toBeVisible()
  await expectClean(offline)
})

test('a token that expires mid-session: the next call returns to sign-in and says why', async ({ page }) => {
  // Long enough to sign in on a loaded machine (minting alone starts a Node process), short enough to wait out.
  const token = scopedToken('profiles:read sources:read', 12)
  const offline = await signIn(page, token)
  await expect(page.getByRole('heading', { level: 1, name: 'Signal health' })).toBeVisible()
  // A real expiry: the collector checks `exp` itself, so wait until a second past it.
  const { exp } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number }
  await page.waitForTimeout(Math.max(0, exp * 1000 + 1000 - Date.now()))
  // Not `openPage`: the Sources heading may show only for the few milliseconds its refused call takes.
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Sources', exact: true }).click()
  await expect(page.getByRole('alert')).toContainText('refused the token (expired or invalid): Token has expired')
  await expect(page.getByLabel('Token')).toBeVisible()
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0)
  await expectClean(offline)
})

test('storage down: a page says so and offers Retry, which recovers once the collector answers again', async ({ page }) => {
  const tenant = newTenant()
  const offline = await signIn(page, tenant.token)
  await openPage(page, 'Sources')
  await expect(page.getByText('No source yet')).toBeVisible()
  // The collector's own answer to a lost database (storage-unavailable.test.ts), played for the next call.
  let outage = true
  await page.route('**/api/v1/cdp/sources', (route) =>
    outage
      ? route.fulfill({
          status: 503,
          headers: { 'retry-after': '5' },
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'storage_unavailable', message: 'Storage is unavailable; retry later', details: [] } }),
        })
      : route.continue(),
  )
  await page.reload()
  await expect(page.getByRole('alert')).toContainText('The collector cannot reach its database right now')
  outage = false
  await page.getByRole('button', { name: 'Retry' }).click()
  await expect(page.getByText('No source yet')).toBeVisible()
  await expect(page.getByRole('alert')).toHaveCount(0)
  await expectClean(offline)
})

test('keyboard only: the skip link, the navigation and a visible focus ring', async ({ page }) => {
  const tenant = newTenant()
  const offline = await signIn(page, tenant.token)
  await page.goto(`${e2eEnv().collectorUrl}/console/`)
  await page.keyboard.press('Tab')
  const skip = page.getByRole('link', { name: 'Skip to content' })
  await expect(skip).toBeFocused()
  await expect(skip).toBeInViewport()
  await page.keyboard.press('Enter')
  await expect(page.locator('main')).toBeFocused()
  // From the top again: the skip link, "Sign out", then the navigation links in order.
  // A fresh load without the skip link's #main: reloading /console/#main would
  // start the Tab order at <main> whenever the app renders it before the
  // browser resolves the fragment, which is a race on a busy machine.
  await page.goto(`${e2eEnv().collectorUrl}/console/`)
  expect(page.url()).not.toContain('#')
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
  for (let i = 0; i < 4; i++) await page.keyboard.press('Tab')
  const live = page.getByRole('link', { name: 'Live events' })
  await expect(live).toBeFocused()
  expect(await live.evaluate((a) => getComputedStyle(a).outlineStyle)).toBe('solid')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: 'Live events' })).toBeVisible()
  await expect(page).toHaveURL(/\/console\/live$/)
  await expectClean(offline)
})
