import { chromiumLaunchOptions } from './support/chromium'
import { expect, test } from './support/fixtures'

// Playwright turns the back/forward cache off by default; this spec needs it.
test.use({ launchOptions: { ...chromiumLaunchOptions, ignoreDefaultArgs: ['--disable-back-forward-cache'] } })

test('SPA page views on pushState, replaceState, popstate, hashchange and bfcache restore, once per URL', async ({
  page,
  shop,
}) => {
  await shop.open({}, 'home')
  const base = shop.url({})
  const run = (script: string) => page.evaluate(script)
  await run(`history.pushState({}, '', 'products')`)
  await run(`history.replaceState({ scroll: 120 }, '', 'products')`) // same URL: no view
  await run(`history.replaceState({}, '', 'products?sort=price')`)
  await run(`location.hash = 'reviews'`) // hashchange and popstate: one view
  await page.waitForTimeout(100)
  await run('history.back()') // popstate back to ?sort=price
  await page.waitForTimeout(100)
  await page.evaluate(() => window.stratum('flush'))
  await page.goto(`${shop.origin()}/blank`)
  await page.goBack({ waitUntil: 'commit' })
  await expect.poll(() => page.evaluate(() => document.readyState)).toBe('complete')
  const aid = await shop.anonymousId()
  const stored = await shop.expectStoredExactlyOnce(aid, 6)
  expect(stored.map((e) => e.context.page?.url.replace(base, ''))).toEqual([
    'home',
    'products',
    'products?sort=price',
    'products?sort=price#reviews',
    'products?sort=price',
    'products?sort=price',
  ])
  expect(stored.every((e) => e.event_name === 'PageView')).toBe(true)
  expect(stored[1]?.context.page?.referrer).toBe(`${base}home`)
})
