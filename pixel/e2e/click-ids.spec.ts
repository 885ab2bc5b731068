import { expect, test } from './support/fixtures'

test.describe('attribution and device id', () => {
  test('captures fbclid as fbc, _fbp, gclid and UTM parameters, and keeps them on later pages', async ({
    page,
    context,
    shop,
  }) => {
    await context.addCookies([{ name: '_fbp', value: 'fb.1.1700000000000.987654321', domain: '.stratum.test', path: '/' }])
    const landing = 'landing?fbclid=IwAR-e2e-click&gclid=Cj0-e2e&utm_source=newsletter&utm_medium=email&utm_campaign=spring'
    await shop.open({}, landing)
    const fbc = (await context.cookies()).find((c) => c.name === '_fbc')
    expect(fbc?.value).toMatch(/^fb\.1\.\d{13}\.IwAR-e2e-click$/)
    expect(fbc?.domain).toBe('.stratum.test')
    await shop.open({ calls: [['track', 'AddToCart', { value: 10, currency: 'EUR' }]] }, 'cart', page, 'blog.shop.stratum.test')
    const stored = await shop.expectStoredExactlyOnce(await shop.anonymousId(), 3)
    for (const event of stored) {
      expect(event.context.click_ids).toEqual({ fbc: fbc?.value, fbp: 'fb.1.1700000000000.987654321', gclid: 'Cj0-e2e' })
      expect(event.context.campaign).toEqual({ utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'spring' })
    }
  })

  test('device_id only with the option and marketing consent, from a lazily loaded chunk', async ({ page, shop }) => {
    const chunks: string[] = []
    page.on('request', (r) => r.url().includes('stratum-device.min.js') && chunks.push(r.url()))
    await shop.open({ init: { deviceId: true, requireConsent: true } })
    await page.evaluate(() => window.stratum('consent', { analytics: true, marketing: false }))
    await page.waitForTimeout(1_000)
    expect(chunks).toEqual([])
    await page.evaluate(() => window.stratum('consent', { marketing: true }))
    await expect.poll(() => chunks.length).toBe(1)
    await expect.poll(() => page.evaluate(() => localStorage.getItem('stratum_did'))).toMatch(/^\w{16,}$/)
    await page.evaluate(() => window.stratum('track', 'Lead'))
    const stored = await shop.expectStoredExactlyOnce(await shop.anonymousId(), 2)
    expect(stored[0]?.identifiers.map((id) => id.type)).not.toContain('device_id')
    expect(stored[1]?.identifiers.map((id) => id.type)).toContain('device_id')
  })

  test('no FingerprintJS without the option, even with marketing consent', async ({ page, shop }) => {
    const chunks: string[] = []
    page.on('request', (r) => r.url().includes('stratum-device') && chunks.push(r.url()))
    await shop.open({ calls: [['consent', { analytics: true, marketing: true }], ['track', 'Lead']] })
    await shop.expectStoredExactlyOnce(await shop.anonymousId(), 2)
    expect(chunks).toEqual([])
  })
})
