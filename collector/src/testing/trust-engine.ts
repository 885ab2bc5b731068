import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll } from 'vitest'
import { type DeliveryWorker, startDeliveryWorker, type WorkerOptions } from '../destinations/delivery-worker'
import { createSecretBox } from '../destinations/secret-box'
import { withTenant } from '../db/with-tenant'
import { createLogger } from '../log'
import { type FakeGraphApi, startFakeGraphApi } from './fake-graph-api'
import { createTestApp, type TestApp } from './test-app'
import type { TwoSides } from './test-source'

export const EVENTS = '/api/v1/cdp/events'
export const DESTINATIONS = '/api/v1/cdp/destinations'
export const CHROME_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'
/** SHA-256 of john_smith@gmail.com, Meta's own example. */
export const EMAIL_HASH = '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f'

/** How much an event says: EMQ ≈ 95 (`rich`), 65 (`email`), 50 (`fbp`) or ≤ 39 (`anonymous`). */
export type Richness = 'rich' | 'email' | 'fbp' | 'anonymous'

/**
 * A web event whose EMQ lands in a known band, sent by a browser with a UA.
 *
 * @example
 * const e = webEvent('Purchase', 'rich')
 */
export function webEvent(eventName: string, richness: Richness, overrides: Record<string, unknown> = {}) {
  const id = randomUUID()
  const identifiers: Array<{ type: string; value: string }> = [{ type: 'anonymous_id', value: `anon-${id}` }]
  if (richness === 'rich' || richness === 'email') identifiers.push({ type: 'email', value: EMAIL_HASH })
  if (richness === 'rich') identifiers.push({ type: 'phone', value: '+16505551212' }, { type: 'external_id', value: 'cust-42' })
  const clickIds = richness === 'rich' ? { fbc: 'fb.1.1700000000000.AbCdEf', fbp: 'fb.1.1700000000000.123456' } : richness === 'fbp' ? { fbp: 'fb.1.1700000000000.42' } : undefined
  return {
    event_id: id,
    event_name: eventName,
    event_time: new Date().toISOString(),
    action_source: 'website',
    identifiers,
    user_data: richness === 'rich' ? { fn: 'Mary', ln: 'Smith', zp: '94025', country: 'US', db: '19900101', ct: 'Menlo Park', st: 'CA', ge: 'f' } : {},
    properties: eventName === 'Purchase' ? { value: 129.5, currency: 'eur', order_id: `o-${id}`, content_ids: ['sofa-1'], num_items: 1, contents: [{ id: 'sofa-1', quantity: 1, item_price: 129.5 }] } : {},
    context: {
      page: { url: 'https://shop.example/checkout', referrer: 'https://google.com/' },
      ...(richness === 'rich' ? { campaign: { utm_source: 'meta' }, locale: 'en-US' } : {}),
      ...(clickIds ? { click_ids: clickIds } : {}),
    },
    ...overrides,
  }
}

/**
 * Sends events from the tenant's page, with a browser's user agent.
 *
 * @example
 * await sendFromPage(t, sides, [webEvent('PageView', 'rich')])
 */
export async function sendFromPage(t: TestApp, sides: TwoSides, events: unknown[]) {
  const res = await t.call('POST', EVENTS, { body: { events }, headers: { 'x-source-key': sides.publicKey, 'user-agent': CHROME_UA } })
  if (res.status !== 200) throw new Error(`POST /events answered ${res.status}: ${JSON.stringify(res.body)}`)
  return res.body
}

/**
 * Creates a destination through the API and answers it.
 *
 * @example
 * const meta = await createDestination(t, sides, { type: 'meta_capi', config: { pixel_id: '1', access_token: 't', api_base_url: graph.url } })
 */
export async function createDestination(t: TestApp, sides: TwoSides, body: Record<string, unknown>) {
  const res = await t.call('POST', DESTINATIONS, { token: sides.token, body: { name: 'Destination', ...body } })
  if (res.status !== 201) throw new Error(`POST /destinations answered ${res.status}: ${JSON.stringify(res.body)}`)
  return res.body as { id: string; config: Record<string, string> }
}

/**
 * A delivery worker on the test app's database (or `options.db`), with short
 * timeouts, that the test drives with `runOnce()` unless `options.poll`.
 *
 * @example
 * const worker = testWorker(t)
 * await worker.runOnce()
 */
export function testWorker(
  t: TestApp,
  overrides: Partial<TestApp['config']['delivery']> = {},
  options: Partial<Pick<WorkerOptions, 'now' | 'fetch' | 'poll' | 'db' | 'secretBox'>> = {},
): DeliveryWorker {
  return startDeliveryWorker({
    db: t.database.db,
    secretBox: createSecretBox(t.config),
    log: createLogger(false),
    delivery: { ...t.config.delivery, timeoutMs: 2000, ...overrides },
    poll: false,
    ...options,
  })
}

/**
 * The tenant's outbox rows, by event id.
 *
 * @example
 * (await deliveriesOf(t, tenant)).get(eventId)?.status // 'delivered'
 */
export async function deliveriesOf(t: TestApp, tenant: string) {
  const rows = await withTenant(t.database.db, tenant, (trx) => trx.selectFrom('deliveries').selectAll().execute())
  return new Map(rows.map((r) => [r.event_id, r]))
}

/**
 * Makes every pending delivery of the tenant due now, as if its backoff had passed.
 *
 * @example
 * await makeDue(t, tenant)
 */
export async function makeDue(t: TestApp, tenant: string) {
  await withTenant(t.database.db, tenant, (trx) =>
    trx.updateTable('deliveries').set({ next_attempt_at: new Date(0) }).where('status', '=', 'pending').execute(),
  )
}

/** A test app and a fake Graph API for one test file. */
export interface TrustApp {
  t: TestApp
  graph: FakeGraphApi
}

/**
 * Builds the app and a fake Graph API before the file's tests and closes
 * both after them; read the fields inside tests only.
 *
 * @example
 * const app = useTrustApp()
 * test('…', async () => { const sides = await twoSides(app.t) })
 */
export function useTrustApp(): TrustApp {
  const app = {} as TrustApp
  beforeAll(async () => {
    app.t = await createTestApp()
    app.graph = await startFakeGraphApi()
  })
  afterAll(async () => {
    await app.graph.close()
    await app.t.close()
  })
  return app
}
