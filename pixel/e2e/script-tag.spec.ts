import { expect, test } from './support/fixtures'

test.describe('script tag', () => {
  test('replays calls made before the bundle arrived, in order, each with its own page', async ({ page, shop }) => {
    let release: () => void = () => {}
    const bundleHeld = new Promise<void>((resolve) => (release = resolve))
    await page.route('**/stratum.min.js', async (route) => {
      await bundleHeld
      await route.continue()
    })
    // The load event waits for async scripts: stop at DOMContentLoaded while the bundle is held.
    await page.goto(shop.url({ title: 'Landing' }, 'landing'), { waitUntil: 'domcontentloaded' })
    const call = (...args: unknown[]) => page.evaluate((a) => window.stratum(...a), args)
    await call('track', 'ViewContent', { content_ids: ['sofa-1'] })
    await page.evaluate(() => {
      history.pushState({}, '', 'cart')
      document.title = 'Cart'
    })
    await call('track', 'AddToCart', { value: 129.5, currency: 'EUR' })
    await call('identify', { email: `replay.${Date.now()}@shop-example.com` })
    await page.evaluate(() => {
      history.pushState({}, '', 'checkout')
      document.title = 'Checkout'
    })
    await call('track', 'InitiateCheckout')
    expect(await page.evaluate(() => window.stratum.q?.length)).toBe(5)
    expect(shop.observed).toHaveLength(0)

    release()
    await page.waitForFunction(() => window.stratum.loaded)
    const stored = await shop.expectStoredExactlyOnce(await shop.anonymousId(), 5)
    const origin = shop.url({ title: 'Landing' })
    expect(stored.map((e) => [e.event_name, e.context.page?.url.replace(origin, ''), e.context.page?.title])).toEqual([
      ['PageView', 'landing', 'Landing'],
      ['ViewContent', 'landing', 'Landing'],
      ['AddToCart', 'cart', 'Cart'],
      ['Identify', 'cart', 'Cart'],
      ['InitiateCheckout', 'checkout', 'Checkout'],
    ])
    expect(stored.at(-1)?.identifiers.map((id) => id.type)).toContain('email')
    expect(stored[1]?.identifiers.map((id) => id.type)).not.toContain('email')
    expect(shop.pageErrors).toEqual([])
  })

  test('the stub never throws when the bundle is blocked', async ({ page, shop }) => {
    await page.route('**/stratum.min.js', (route) => route.abort('blockedbyclient'))
    await shop.open({ calls: [['track', 'Lead']] })
    await page.evaluate(() => {
      window.stratum('track', 'AddToCart', { value: 1 })
      window.stratum('identify', { email: 'blocked@shop-example.com' })
      window.stratum()
    })
    expect(shop.pageErrors).toEqual([])
    expect(await page.evaluate(() => window.stratum.q?.length)).toBe(5)
    expect(shop.observed).toEqual([])
  })

  test('works from a plain <script src> with data attributes, and never throws into the page', async ({
    page,
    shop,
  }) => {
    await shop.open({ load: 'script', calls: [['track', 'Lead', { value: 5, currency: 'EUR' }]] })
    await page.evaluate(() => {
      const circular: Record<string, unknown> = {}
      circular.self = circular
      window.stratum('track', 'Broken', circular)
      window.stratum('noSuchMethod')
      window.stratum()
      window.stratum('identify', null)
      window.stratum('consent')
      window.stratum('track', 'Search', { search_string: 'sofa' })
    })
    expect(shop.pageErrors).toEqual([])
    const stored = await shop.expectStoredExactlyOnce(await shop.anonymousId(), 3)
    expect(stored.map((e) => e.event_name)).toEqual(['PageView', 'Lead', 'Search'])
  })

  test('loads from the collector itself: one <script src> on its origin, which is also the endpoint', async ({
    page,
    shop,
  }) => {
    const chunks: string[] = []
    page.on('request', (request) => request.url().includes('stratum-identity') && chunks.push(request.url()))
    await shop.open({ load: 'none' })
    await page.evaluate(
      ({ src, sourceKey }) => {
        const script = document.createElement('script')
        script.src = src
        script.dataset.sourceKey = sourceKey
        document.head.appendChild(script)
      },
      { src: `${shop.endpoint}/stratum.min.js`, sourceKey: shop.sourceKey },
    )
    await page.waitForFunction(() => window.stratum?.loaded)
    await page.evaluate(() => window.stratum('identify', { email: `served.${Date.now()}@shop-example.com` }))
    const stored = await shop.expectStoredExactlyOnce(await shop.anonymousId(), 2)
    expect(stored.map((e) => e.event_name)).toEqual(['PageView', 'Identify'])
    expect(stored[1]?.identifiers.map((id) => id.type)).toContain('email')
    expect(chunks).toEqual([`${shop.endpoint}/stratum-identity.min.js`])
    expect(shop.observed.every((b) => b.url.startsWith(`${shop.endpoint}/api/v1/cdp/events?`))).toBe(true)
    expect(shop.pageErrors).toEqual([])
  })

  test('works under a strict CSP, identity chunk included', async ({ page, shop }) => {
    const violations: string[] = []
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/.test(message.text())) violations.push(message.text())
    })
    const chunks: string[] = []
    page.on('request', (request) => request.url().includes('stratum-identity') && chunks.push(request.url()))
    await shop.open({
      load: 'script',
      csp: true,
      calls: [
        ['identify', { email: `csp.${Date.now()}@shop-example.com` }],
        ['track', 'Purchase', { value: 42, currency: 'EUR', order_id: 'CSP-1' }],
      ],
    })
    const stored = await shop.expectStoredExactlyOnce(await shop.anonymousId(), 3)
    expect(stored.map((e) => e.event_name)).toEqual(['PageView', 'Identify', 'Purchase'])
    expect(stored[2]?.identifiers.map((id) => id.type)).toContain('email')
    expect(chunks).toHaveLength(1)
    expect(violations).toEqual([])
    expect(shop.pageErrors).toEqual([])
  })

  test('sends to a custom endpoint path (a first-party proxy)', async ({ page, shop }) => {
    await shop.open({
      init: { endpoint: shop.origin(), path: '/collect/events', consentPath: '/collect/consent' },
      calls: [['track', 'Lead']],
    })
    await page.evaluate(() => window.stratum('consent', { analytics: true, marketing: true }))
    const stored = await shop.expectStoredExactlyOnce(await shop.anonymousId(), 2)
    expect(stored.map((e) => e.event_name)).toEqual(['PageView', 'Lead'])
    expect(shop.observed.length).toBeGreaterThan(0)
    expect(shop.observed.every((b) => b.url.startsWith(`${shop.origin()}/collect/events?source_key=`))).toBe(true)
    const aid = await shop.anonymousId()
    await expect.poll(async () => (await shop.consentRecords(aid)).length).toBeGreaterThan(0)
    expect((await shop.consentRecords(aid)).map((r) => r.status < 300)).toEqual([true])
  })
})
