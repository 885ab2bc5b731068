import { execFile } from 'node:child_process'
import { createServer } from 'node:http'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { normalizeIdentifier } from '@stratum/pixel/identity'
import { listen } from '../../pixel/e2e/support/listen'
import { paymentWebhook, signPayload } from '../server/src/payment-webhook'
import type { StratumApi } from '../server/src/stratum-api'
import { expect, test } from './fixtures'
import { shopVisitor } from './shop-visitor'

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url))
const WEBHOOK_SECRET = 'whsec_e2e'

/** What the browser records, in order: the shop's calls plus the pixel's page views and Identify. */
const BROWSER_EVENTS = [
  'PageView', // home (held until the visitor accepted)
  'PageView', // product
  'ViewContent',
  'AddToCart',
  'PageView', // cart
  'InitiateCheckout',
  'PageView', // checkout, asks to log in
  'PageView', // login
  'Identify',
  'PageView', // checkout
  'AddPaymentInfo',
  'Purchase', // with the event id the shop's backend gave the order
]

/** The journey of the profile owning an identifier, oldest first; `[]` while there is none. */
async function journeyOf(api: StratumApi, type: string, value: string) {
  const profile = await api.findProfile(type, value)
  return profile ? (await api.journey(profile.id)).reverse() : []
}

/** The shop's backend (examples/server) on a port the OS picks, as the payment provider calls it. */
async function startBackend(api: StratumApi, orderSecret: string) {
  const server = createServer(paymentWebhook({ api, secret: WEBHOOK_SECRET, orderSecret, log: () => {} }))
  const port = await listen(server)
  return {
    async paymentSucceeded(payload: unknown) {
      const body = JSON.stringify({ type: 'payment.succeeded', ...(payload as object) })
      return fetch(`http://127.0.0.1:${port}/webhooks/payment`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-payment-signature': signPayload(WEBHOOK_SECRET, body) },
      })
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}

test('an anonymous visitor browses, logs in and pays; page and backend both send the Purchase; one profile holds it once', async ({
  page,
  demo,
  api,
}) => {
  // Mixed case on purpose: the browser, the backend and the lookup all normalise it the same way.
  const details = {
    email: `Jane.Doe.${Date.now()}@Shop-Example.com`,
    phone: '+1 (650) 555-1212',
    firstName: 'Jane',
    lastName: 'Doe',
  }
  const visitor = shopVisitor(page, demo.shopUrl)
  await visitor.arrive('Accept')
  const orderId = await visitor.buySofa(details)
  const anonymousId = (await page.context().cookies()).find((cookie) => cookie.name === 'stratum_aid')?.value ?? ''
  expect(anonymousId).not.toBe('')
  // The pixel batches for up to 2 s: wait until everything the browser recorded is stored.
  await expect
    .poll(async () => (await journeyOf(api, 'anonymous_id', anonymousId)).map((e) => e.event_name), { timeout: 30_000 })
    .toEqual(BROWSER_EVENTS)

  // The page's Purchase is only claimed: anyone holding the public source key could have sent it.
  expect(await api.findProfile('email', details.email)).toMatchObject({
    lifecycle_stage: 'known',
    purchases_count: 0,
    revenue: {},
    claimed_purchases_count: 1,
    claimed_revenue: { EUR: 129.5 },
  })

  // The payment provider tells the shop's backend; the backend confirms the Purchase with the
  // customer number (external_id) and the email, hashed by the shared identity module, and the
  // event id it gave the page: its copy replaces the page's.
  const command = (await page.locator('pre').textContent()) ?? ''
  const customerId = /--customer (\S+)/.exec(command)?.[1] ?? ''
  const eventId = (await page.locator('#event-id').textContent()) ?? ''
  const backend = await startBackend(api, demo.shopSecret)
  const answer = await backend.paymentSucceeded({
    order: { id: orderId, amount: 129.5, currency: 'EUR', items: [{ product_id: 'sofa-1', quantity: 1 }] },
    customer: { id: customerId, email: details.email, first_name: details.firstName, last_name: details.lastName },
  })
  await backend.close()
  expect(answer.status).toBe(200)
  expect((await answer.json()).confirmed).toMatchObject({
    event_id: eventId,
    status: 'accepted',
    emq: expect.any(Number),
    warnings: ['browser_copy_replaced'],
  })

  // The command the confirmation page shows, run as a newcomer would: a second confirmation of
  // the same order is acknowledged and stored once.
  const { stdout } = await promisify(execFile)('bash', ['-c', command], {
    cwd: REPOSITORY,
    env: { ...process.env, TOKEN: demo.token, SHOP_SECRET: demo.shopSecret },
  })
  expect(stdout).toContain(`Purchase ${orderId}: duplicate`)

  const profile = await api.findProfile('email', details.email)
  expect(profile).toMatchObject({
    lifecycle_stage: 'customer',
    events_count: BROWSER_EVENTS.length,
    sessions_count: 1,
    purchases_count: 1,
    revenue: { EUR: 129.5 },
    claimed_purchases_count: 0,
    claimed_revenue: {},
  })
  const hashOf = (type: 'email' | 'phone', value: string) => normalizeIdentifier(type, value).value
  expect(profile!.identifiers.map((id) => [id.type, id.hash]).sort()).toEqual(
    [
      ['anonymous_id', anonymousId],
      ['email', hashOf('email', details.email)],
      ['external_id', customerId],
      ['phone', hashOf('phone', details.phone)],
    ].sort(),
  )

  const journey = (await api.journey(profile!.id)).reverse()
  // The Purchase once: the backend's copy.
  expect(journey.map((e) => e.event_name)).toEqual(BROWSER_EVENTS)
  expect(journey.at(-1)).toMatchObject({ event_id: eventId, trust: 'server' })
  expect(journey.filter((e) => e.event_name === 'PageView').map((e) => e.context.page?.url.replace(demo.shopUrl, ''))).toEqual([
    '/',
    '/product.html?id=sofa-1',
    '/cart.html',
    '/checkout.html',
    '/login.html?next=/checkout.html',
    '/checkout.html',
  ])
  for (const event of journey) expect(event.emq, `EMQ of ${event.event_name}`).toEqual(expect.any(Number))
  const order = { order_id: orderId, value: 129.5, currency: 'EUR', content_ids: ['sofa-1'], num_items: 1 }
  expect(journey.find((e) => e.event_name === 'AddPaymentInfo')?.properties).toMatchObject(order)
  expect(journey.at(-1)?.properties).toMatchObject(order)
})
