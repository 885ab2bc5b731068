import { expect, test } from './fixtures'
import { shopVisitor } from './shop-visitor'

test('a visitor who declines consent sends nothing, however far they go', async ({ page, demo, api }) => {
  const logged = demo.requests().length
  const email = `declined.${Date.now()}@shop-example.com`
  const visitor = shopVisitor(page, demo.shopUrl)
  await visitor.arrive('Decline')
  await visitor.buySofa({ email, phone: '+1 650 555 1212', firstName: 'Dee', lastName: 'Clined' })
  // Longer than the pixel's 2 s batching, then leave: its last chance to flush.
  await page.waitForTimeout(3_000)
  await page.goto('about:blank')

  // The collector logs every request, keepalive and beacon ones included.
  const requests = demo.requests().slice(logged)
  expect(requests.filter((r) => r.path.endsWith('/events'))).toEqual([])
  // Only the decision itself is recorded (again by a later page when the first answer was cut short by leaving).
  const consents = requests.filter((r) => r.path.endsWith('/consent'))
  expect(consents.length).toBeGreaterThan(0)
  expect(consents.every((r) => r.status < 300)).toBe(true)
  expect(await api.findProfile('email', email)).toBeNull()
  expect((await page.context().cookies()).map((c) => c.name)).not.toContain('stratum_aid')
})
