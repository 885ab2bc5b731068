import { expect, test } from './fixtures'

test('a visitor of the SPA gets one page view per route, each with its title, then signs up', async ({
  page,
  spaUrl,
  api,
}) => {
  const nav = page.getByRole('navigation')
  const main = page.getByRole('main')
  await page.goto(spaUrl)
  await nav.getByRole('link', { name: 'Features' }).click()
  await expect(page).toHaveTitle(/^Features/)
  await nav.getByRole('link', { name: 'Pricing' }).click()
  await expect(page).toHaveTitle(/^Pricing/)
  await nav.getByRole('link', { name: 'Pricing' }).click() // the page already shown: no new view
  await main.getByRole('link', { name: 'Try Team free' }).click()
  await expect(page).toHaveURL(/signup\?plan=team$/)
  await page.goBack()
  await expect(page).toHaveTitle(/^Pricing/)
  await main.getByRole('link', { name: 'Try Pro free' }).click()
  const email = `spa.${Date.now()}@shop-example.com`
  await main.getByLabel('Email').fill(email)
  await main.getByLabel('First name').fill('Sam')
  await main.getByRole('button', { name: 'Start my trial' }).click()
  await expect(page).toHaveTitle(/^Welcome/)
  // One document for the whole visit: every route was client-side.
  expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1)

  const expected = [
    ['PageView', '/', 'Notes that find themselves — Lumen Notes'],
    ['PageView', '/features', 'Features — Lumen Notes'],
    ['PageView', '/pricing', 'Pricing — Lumen Notes'],
    ['PageView', '/signup?plan=team', 'Start your trial — Lumen Notes'],
    ['PageView', '/pricing', 'Pricing — Lumen Notes'], // back
    ['PageView', '/signup?plan=pro', 'Start your trial — Lumen Notes'],
    ['Identify', '/signup?plan=pro', 'Start your trial — Lumen Notes'],
    ['StartTrial', '/signup?plan=pro', 'Start your trial — Lumen Notes'],
    ['PageView', '/welcome?plan=pro', 'Welcome — Lumen Notes'],
  ]
  const seen = async () => {
    const profile = await api.findProfile('email', email)
    const journey = profile ? (await api.journey(profile.id)).reverse() : []
    return journey.map((e) => [e.event_name, e.context.page?.url.replace(spaUrl, ''), e.context.page?.title])
  }
  await expect.poll(seen, { timeout: 30_000 }).toEqual(expected)
  expect(await api.findProfile('email', email)).toMatchObject({ lifecycle_stage: 'known', events_count: expected.length })
})
