import { expect, test } from './support/fixtures'

const heldKeys = () => Object.keys(localStorage).filter((k) => k.startsWith('stratum_h_')).length

test.describe('consent', () => {
  test('buffers events until consent, across pages, then releases them on grant', async ({ page, context, shop }) => {
    await shop.open({ init: { requireConsent: true }, calls: [['track', 'Lead']] })
    await page.waitForTimeout(2_500)
    expect(await shop.sentEvents()).toHaveLength(0)
    expect(await page.evaluate(heldKeys)).toBe(2)
    await page.reload()
    expect(await page.evaluate(heldKeys)).toBe(4)
    expect((await context.cookies()).map((c) => c.name)).not.toContain('stratum_aid')

    await page.evaluate(() => window.stratum('consent', { analytics: true, marketing: false }))
    const stored = await shop.expectStoredExactlyOnce(await shop.anonymousId(), 4)
    expect(stored.map((e) => e.event_name)).toEqual(['PageView', 'Lead', 'PageView', 'Lead'])
    for (const event of await shop.sentEvents()) expect(event.consent).toEqual({ analytics: true, marketing: false })
    expect(await page.evaluate(heldKeys)).toBe(0)
    // The decision is recorded with the collector too.
    await expect
      .poll(async () => (await shop.consentRecords(await shop.anonymousId())).map((r) => [r.status < 300, r.body.purposes]))
      .toContainEqual([true, { analytics: true, marketing: false }])
  })

  test('discards buffered events when consent is denied', async ({ page, context, shop }) => {
    await shop.open({ init: { requireConsent: true }, calls: [['track', 'Lead']] })
    await page.evaluate(() => window.stratum('consent', { analytics: false, marketing: false }))
    await page.evaluate(() => window.stratum('track', 'Purchase', { value: 1, currency: 'EUR' }))
    await page.reload()
    await page.waitForTimeout(2_500)
    expect(await shop.sentEvents()).toHaveLength(0)
    expect(await page.evaluate(heldKeys)).toBe(0)
    const names = (await context.cookies()).map((c) => `${c.name}=${c.value}`)
    expect(names).toEqual(['stratum_consent=a0m0'])
  })

  test('Global Privacy Control denies marketing: no click ids, no device id', async ({ page, context, shop }) => {
    await context.setExtraHTTPHeaders({ 'Sec-GPC': '1' })
    await context.addInitScript(() =>
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true }),
    )
    await context.addCookies([{ name: '_fbp', value: 'fb.1.1700000000000.42', domain: '.stratum.test', path: '/' }])
    const chunks: string[] = []
    page.on('request', (r) => r.url().includes('stratum-device') && chunks.push(r.url()))
    await shop.open({ init: { deviceId: true }, calls: [['consent', { analytics: true, marketing: true }], ['track', 'Lead']] }, '?fbclid=GPC1&gclid=GPC2')
    await shop.expectStoredExactlyOnce(await shop.anonymousId(), 2)
    for (const event of await shop.sentEvents()) {
      expect(event.consent).toEqual({ analytics: true, marketing: false })
      expect(event.context).not.toHaveProperty('click_ids')
      expect(JSON.stringify(event.identifiers)).not.toContain('device_id')
    }
    expect((await context.cookies()).map((c) => c.name)).not.toContain('_fbc')
    expect(chunks).toEqual([])
  })
})
