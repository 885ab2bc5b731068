import { createServer, type Server } from 'node:http'
import { expect, test } from '@playwright/test'
import { collectorApi, type StoredEvent } from '../../pixel/e2e/support/collector-api'
import { e2eEnv } from '../../pixel/e2e/support/e2e-env'
import { listen } from '../../pixel/e2e/support/listen'

/**
 * analytics.js (`@segment/analytics-next`), unmodified, in Chromium: a shop
 * on another origin than the collector loads Segment's usual snippet with
 * the collector as its CDN, so the standalone bundle, its chunks and the
 * settings come from the collector, which the settings make its API too
 * (collector/docs/segment.md). The machine is offline: any request to
 * another host is aborted and counted.
 */

const SHOP_HOST = 'shop.segment.stratum.test'
let site: Server
let shopOrigin = ''
let page = ''

/**
 * The shop's page: Segment's snippet as its documentation gives it, in
 * essence (queue the calls, load `analytics.min.js` from the CDN, remember
 * the write key), with the two changes a site makes to use the collector:
 * the script's host, and `analytics._cdn`.
 */
function shopPage(collector: string, writeKey: string) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Segment shop</title><script>
  (function () {
    var analytics = (window.analytics = window.analytics || [])
    analytics.invoked = true
    analytics.methods = ['track', 'page', 'identify', 'alias', 'group', 'screen', 'ready', 'reset', 'on', 'once', 'off', 'debug', 'setAnonymousId']
    analytics.methods.forEach(function (method) {
      analytics[method] = function () {
        var args = Array.prototype.slice.call(arguments)
        args.unshift(method)
        analytics.push(args)
        return analytics
      }
    })
    analytics.load = function (key, options) {
      var script = document.createElement('script')
      script.async = true
      script.setAttribute('data-global-segment-analytics-key', 'analytics')
      script.src = ${JSON.stringify(collector)} + '/analytics.js/v1/' + key + '/analytics.min.js'
      document.head.appendChild(script)
      analytics._loadOptions = options
    }
    analytics._cdn = ${JSON.stringify(collector)}
    analytics._writeKey = ${JSON.stringify(writeKey)}
    analytics.load(${JSON.stringify(writeKey)})
    analytics.page('Linen sofa')
    analytics.track('Product Viewed', { product_id: 'sofa-1', price: 129.5, currency: 'EUR' })
  })()
  </script></head><body><h1>Linen sofa</h1></body></html>`
}

test.beforeAll(async () => {
  const env = e2eEnv()
  site = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page))
  shopOrigin = `http://${SHOP_HOST}:${await listen(site)}`
  const source = await collectorApi(env.collectorUrl, env.token).createSource('segment shop', [shopOrigin])
  page = shopPage(env.collectorUrl, source.source_key)
})
test.afterAll(() => new Promise<void>((resolve) => site.close(() => resolve())))

test('a page and a track from analytics.js on another origin are stored once, with the browser trust', async ({ page: tab }) => {
  const env = e2eEnv()
  const collector = new URL(env.collectorUrl)
  const leftTheMachine: string[] = []
  await tab.context().route('**/*', (route) => {
    const { hostname } = new URL(route.request().url())
    if (hostname === collector.hostname || hostname === SHOP_HOST) return route.continue()
    leftTheMachine.push(route.request().url())
    return route.abort('internetdisconnected')
  })
  const answers: Array<{ url: string; status: number; body: string; origin: string | null }> = []
  tab.on('response', async (response) => {
    if (!/\/v1\/[a-z]$/.test(new URL(response.url()).pathname)) return
    answers.push({ url: response.url(), status: response.status(), body: await response.text(), origin: response.headers()['access-control-allow-origin'] ?? null })
  })
  const errors: string[] = []
  tab.on('pageerror', (error) => errors.push(error.message))

  await tab.goto(`${shopOrigin}/sofa?utm_source=newsletter`)
  await tab.waitForFunction(() => (window as unknown as { analytics?: { initialized?: boolean } }).analytics?.initialized === true)
  const anonymousId = await tab.evaluate(() => (window as unknown as { analytics: { user(): { anonymousId(): string } } }).analytics.user().anonymousId())

  const api = collectorApi(env.collectorUrl, env.token)
  let stored: StoredEvent[] = []
  await expect
    .poll(
      async () => {
        stored = await api.eventsOf('anonymous_id', anonymousId)
        return stored.length
      },
      { timeout: 30_000 },
    )
    .toBe(2)
  expect(stored.map((e) => e.event_name).sort()).toEqual(['PageView', 'ViewContent'])
  for (const event of stored) {
    expect(event.trust).toBe('browser')
    expect(event.action_source).toBe('website')
    expect(event.context.page?.url).toBe(`${shopOrigin}/sofa?utm_source=newsletter`)
    expect(event.context.campaign).toEqual({ utm_source: 'newsletter' })
    expect((event.context.library as { name: string }).name).toBe('analytics.js')
  }
  const viewed = stored.find((e) => e.event_name === 'ViewContent')!
  expect(viewed.properties).toMatchObject({ value: 129.5, currency: 'EUR', content_ids: ['sofa-1'] })
  expect((viewed.context.segment as { event: string }).event).toBe('Product Viewed')
  expect(viewed.context.user_agent).toContain('Chrome')

  // The collector stores before it answers: the page may not have read the last answer yet.
  await expect.poll(() => answers.length, { timeout: 10_000 }).toBe(2)
  expect(answers.map((a) => `${new URL(a.url).pathname} ${a.status} ${a.body} ${a.origin}`).sort()).toEqual([
    `/v1/p 200 {"success":true} ${shopOrigin}`,
    `/v1/t 200 {"success":true} ${shopOrigin}`,
  ])
  expect(leftTheMachine).toEqual([])
  expect(errors).toEqual([])
})
