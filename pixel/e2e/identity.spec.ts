import { expect, test } from './support/fixtures'

test.describe('identity', () => {
  test('identify() hashes PII in the browser: no raw value on the wire or on the device', async ({
    page,
    context,
    shop,
  }) => {
    // Unique per run: an email or phone seen before would stitch this visitor to an earlier one.
    const line = String(1000 + (Date.now() % 9000))
    const traits = {
      email: `Jane.Doe+${Date.now()}@Shop-Example.com`,
      phone: `+1 (650) 555-${line}`,
      firstName: 'Janelle',
      lastName: 'Doebertson',
      city: 'Springfieldia',
      state: 'CA',
      zip: '94025-1234',
      country: 'US',
      dateOfBirth: '1990-07-04',
      gender: 'female',
    }
    await shop.open({ calls: [['identify', traits], ['track', 'Lead']] })
    await page.reload()
    await page.evaluate(() => window.stratum('flush'))
    const aid = await shop.anonymousId()
    const stored = await shop.expectStoredExactlyOnce(aid)
    const lead = stored.find((e) => e.event_name === 'Lead')
    expect(lead?.identifiers.map((id) => id.type).sort()).toEqual(['anonymous_id', 'email', 'phone'])

    const raw = [
      'Jane.Doe',
      'jane.doe',
      'Shop-Example',
      'shop-example',
      `555-${line}`,
      `650555${line}`,
      'Janelle',
      'janelle',
      'Doebertson',
      'doebertson',
      'Springfieldia',
      'springfieldia',
      '94025-1234',
      '1990-07-04',
      '19900704',
    ]
    const cookies = JSON.stringify(await context.cookies())
    const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }))
    for (const [where, text] of [
      ['request bodies', (await shop.bodies()).join('\n')],
      ['cookies', cookies],
      ['localStorage', storage],
    ] as const) {
      for (const value of raw) expect(text, `${value} in ${where}`).not.toContain(value)
    }
    expect((await shop.bodies()).length).toBeGreaterThan(0)
    // The collector found the visitor by the email, hashed on its side: the same profile.
    expect(await shop.api.profileId('email', traits.email)).toBe(await shop.api.profileId('anonymous_id', aid))
  })

  test('the anonymous id survives reloads and subdomains, and changes only on reset()', async ({ page, shop }) => {
    await shop.open({}, 'home', page, 'www.shop.stratum.test')
    const aid = await shop.anonymousId()
    const cookie = (await page.context().cookies()).find((c) => c.name === 'stratum_aid')
    expect(cookie).toMatchObject({ domain: '.stratum.test', path: '/', sameSite: 'Lax', secure: false })
    const thirteenMonths = 395 * 86_400
    expect(cookie!.expires - Date.now() / 1000).toBeGreaterThan(thirteenMonths - 60)

    await page.reload()
    expect(await shop.anonymousId()).toBe(aid)
    await shop.open({}, 'post', page, 'blog.shop.stratum.test')
    expect(await shop.anonymousId()).toBe(aid)
    expect(await page.evaluate(() => localStorage.getItem('stratum_aid'))).toBe(aid)
    await page.evaluate(() => window.stratum('flush'))
    const stored = await shop.expectStoredExactlyOnce(aid, 3)
    expect(stored.map((e) => new URL(e.context.page!.url).hostname)).toEqual([
      'www.shop.stratum.test',
      'www.shop.stratum.test',
      'blog.shop.stratum.test',
    ])

    await page.evaluate(() => window.stratum('reset'))
    const next = await shop.anonymousId()
    expect(next).not.toBe(aid)
    await shop.open({}, 'home', page, 'www.shop.stratum.test')
    expect(await shop.anonymousId()).toBe(next)
  })

  test('the session rolls over after 30 minutes of inactivity', async ({ page, shop }) => {
    await page.clock.install()
    await shop.open({})
    const track = (name: string) =>
      page.evaluate((n) => {
        window.stratum('track', n)
        return window.stratum('flush')
      }, name)
    await track('ViewContent')
    await page.clock.fastForward('29:00')
    await track('AddToCart')
    await page.clock.fastForward('30:01')
    await track('InitiateCheckout')
    await page.clock.fastForward('05:00')
    await track('Purchase')
    const events = await shop.sentEvents()
    expect(events.map((e) => e.event_name)).toEqual(['PageView', 'ViewContent', 'AddToCart', 'InitiateCheckout', 'Purchase'])
    const ids = events.map((e) => e.context.session_id)
    expect(ids[1]).toBe(ids[0])
    expect(ids[2]).toBe(ids[0]) // 29 minutes later: still active
    expect(ids[3]).not.toBe(ids[2]) // 30 minutes without activity: a new session
    expect(ids[4]).toBe(ids[3])
    await shop.expectStoredExactlyOnce(await shop.anonymousId(), 5)
  })
})
