import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StoredIdentifier } from '../db/schema'
import { withTenant } from '../db/with-tenant'
import { createTestApp, newTenant, type TestApp } from '../testing/test-app'
import { loadMissingFieldGains } from './missing-field-gains'
import { MISSING_FIELDS } from './missing-fields'
import { EMQ_CAP_WITHOUT_MATCH_KEY, scoreEmq } from './score-emq'
import { hasUsableMatchKey } from './score-identifier-quality'
import type { EmqClickIds, EmqContext, EmqInput } from './types'

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'
const MINUTE = 60_000
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString()

/**
 * Events chosen to reach every branch: capped and uncapped, IQ at its
 * ceiling, junk keys, invalid payload values, web and non-web, a custom
 * name, late and clock-skewed delivery.
 */
const CASES: Record<string, Record<string, unknown>> = {
  'bare anonymous PageView': { event_name: 'PageView', identifiers: [{ type: 'anonymous_id', value: 'a1' }] },
  'rich anonymous PageView (capped at 39)': {
    event_name: 'PageView',
    action_source: 'website',
    identifiers: [{ type: 'anonymous_id', value: 'a2' }, { type: 'device_id', value: 'd2' }],
    user_data: { fn: 'Ann', ln: 'Lee', zp: '10115', country: 'de', db: '19800101', ct: 'Berlin', st: 'be', ge: 'f' },
    context: {
      ip: '8.8.8.8',
      user_agent: CHROME,
      page: { url: 'https://shop.example/', referrer: 'https://search.example/' },
      campaign: { utm_source: 'news' },
      locale: 'de-DE',
    },
  },
  'web Purchase with bad value and currency, a bot UA': {
    event_name: 'Purchase',
    action_source: 'website',
    identifiers: [{ type: 'email', value: 'bo@shop.io' }],
    user_data: { fn: 'Bo', zp: '94105' },
    properties: { value: '12', currency: 'EURO', order_id: 'A-9' },
    context: { user_agent: 'curl/8.4.0', page: { url: 'https://shop.example/thanks' } },
  },
  'server Purchase at the IQ ceiling': {
    event_name: 'Purchase',
    action_source: 'server',
    identifiers: [
      { type: 'email', value: 'cy@shop.io' },
      { type: 'phone', value: '+1 650 555 1212' },
      { type: 'external_id', value: 'u-3' },
    ],
    properties: { value: 30, currency: 'USD', order_id: 7 },
    context: { ip: '2001:4860:4860::8888', click_ids: { gclid: 'Cj0', fbp: 'fb.1.1.2' } },
  },
  'Lead sent two hours late': {
    event_name: 'Lead',
    event_time: at(-120 * MINUTE),
    identifiers: [{ type: 'phone', value: '+44 20 7946 0958' }],
    properties: { currency: 'usd' },
    context: { timezone: 'Europe/London' },
  },
  'AddToCart with a junk email and an empty campaign': {
    event_name: 'AddToCart',
    action_source: 'website',
    identifiers: [{ type: 'email', value: 'test@example.com' }, { type: 'device_id', value: 'd6' }],
    properties: { value: 4, content_ids: [] },
    context: { click_ids: { fbp: 'fb.1.1.6' }, campaign: { utm_source: '' }, page: { referrer: 'https://x.example/' } },
  },
  'custom app event': {
    event_name: 'VideoWatched',
    action_source: 'app',
    identifiers: [{ type: 'external_id', value: 'u-7' }],
    user_data: { ln: 'Moss' },
    context: { ip: '8.8.4.4', user_agent: CHROME, locale: 'en-GB' },
  },
  'ViewContent from a clock 10 minutes fast': {
    event_name: 'ViewContent',
    event_time: at(10 * MINUTE),
    action_source: 'website',
    identifiers: [{ type: 'email', value: 'di@shop.io' }],
    properties: { value: 3, currency: 'EUR', content_ids: ['x'] },
    context: { page: { url: 'https://shop.example/p/x' } },
  },
}

/** How to give an event each field of `MISSING_FIELDS` (a no-op where it already has one). */
const ADD: Record<string, (input: EmqInput) => EmqInput> = {
  email: (i) => ({ ...i, identifiers: [...i.identifiers, { type: 'email', status: 'valid' }] }),
  phone: (i) => ({ ...i, identifiers: [...i.identifiers, { type: 'phone', status: 'valid' }] }),
  external_id: (i) => ({ ...i, identifiers: [...i.identifiers, { type: 'external_id', status: 'valid' }] }),
  click_id: (i) => ({ ...i, context: { ...i.context, clickIds: { ...i.context.clickIds, gclid: 'g' } } }),
  fbp: (i) => ({ ...i, context: { ...i.context, clickIds: { ...i.context.clickIds, fbp: 'p' } } }),
  fn_ln: (i) => ({ ...i, userData: { ...i.userData, fn: 'h', ln: 'h' } }),
  ...Object.fromEntries(
    (['zp', 'country', 'db', 'ct', 'st', 'ge'] as const).map((k) => [k, (i: EmqInput) => ({ ...i, userData: { ...i.userData, [k]: 'h' } })]),
  ),
  value: (i) => ({ ...i, properties: { ...i.properties, value: 1 } }),
  currency: (i) => ({ ...i, properties: { ...i.properties, currency: 'EUR' } }),
  order_id: (i) => ({ ...i, properties: { ...i.properties, order_id: 'o' } }),
  content_ids: (i) => ({ ...i, properties: { ...i.properties, content_ids: ['c'] } }),
  num_items: (i) => ({ ...i, properties: { ...i.properties, num_items: 1 } }),
  action_source: (i) => ({ ...i, actionSource: i.actionSource ?? 'other' }),
  page_url: (i) => ({ ...i, context: { ...i.context, page: { ...i.context.page, url: 'u' } } }),
  referrer: (i) => ({ ...i, context: { ...i.context, page: { ...i.context.page, referrer: 'r' } } }),
  campaign: (i) => ({ ...i, context: { ...i.context, campaign: { utm_source: 'x' } } }),
  locale: (i) => ({ ...i, context: { ...i.context, locale: 'en' } }),
  user_agent: (i) => ({ ...i, userAgent: i.userAgent ?? CHROME }),
  client_ip: (i) => ({ ...i, clientIp: i.clientIp ?? '8.8.8.8' }),
  prompt_delivery: (i) => ({ ...i, eventTime: i.receivedAt }),
}

/** The total the stored breakdown stands for, capped like the scorer caps it. */
function cappedTotal(input: EmqInput): number {
  const { iq, dc, t, cr } = scoreEmq(input).breakdown
  const total = iq + dc + t + cr
  return hasUsableMatchKey(input.identifiers, input.context.clickIds) ? total : Math.min(total, EMQ_CAP_WITHOUT_MATCH_KEY)
}

/** Rebuilds the scorer's input from a stored event, as ingest built it. */
function inputOf(row: {
  event_name: string
  event_id: string
  action_source: string | null
  identifiers: StoredIdentifier[]
  user_data: Record<string, string>
  properties: Record<string, unknown>
  context: Pick<EmqContext, 'page' | 'locale' | 'timezone' | 'campaign'> & { click_ids?: EmqClickIds }
  event_time: Date
  received_at: Date
  client_ip: string | null
  user_agent: string | null
}): EmqInput {
  const { page, locale, timezone, campaign, click_ids } = row.context
  return {
    eventName: row.event_name,
    eventId: row.event_id,
    actionSource: row.action_source ?? undefined,
    identifiers: row.identifiers.map((i) => ({ type: i.type as EmqInput['identifiers'][number]['type'], status: i.status })),
    userData: row.user_data,
    properties: row.properties,
    context: { page, locale, timezone, campaign, clickIds: click_ids },
    eventTime: new Date(row.event_time),
    receivedAt: new Date(row.received_at),
    clientIp: row.client_ip ?? undefined,
    userAgent: row.user_agent ?? undefined,
  }
}

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

describe('missing-field gains', () => {
  it('has a way to add every field it reports', () => {
    expect(Object.keys(ADD).sort()).toEqual(MISSING_FIELDS.map((f) => f.field).sort())
  })

  // One event per tenant: its window mean is the event itself, so each SQL
  // gain is that event's own gain and must match re-scoring it with the field.
  it.each(Object.entries(CASES))('matches re-scoring with scoreEmq: %s', async (_label, event) => {
    const tenant = newTenant()
    const token = await t.token(tenant, ['events:write'])
    const res = await t.call('POST', '/api/v1/cdp/events', {
      token,
      body: { events: [{ event_id: crypto.randomUUID(), event_time: at(-1000), ...event }] },
    })
    expect(res.body.accepted).toBe(1)

    const row = await t.database.db.selectFrom('events').selectAll().where('tenant_id', '=', tenant).executeTakeFirstOrThrow()
    const before = inputOf(row as never)
    // The rebuilt input is faithful: it scores what ingest stored.
    expect(scoreEmq(before).score).toBeCloseTo(Number(row.emq), 4)

    const gains = await withTenant(t.database.db, tenant, (trx) =>
      loadMissingFieldGains(trx, tenant, { now: new Date(), windows: ['24h'], top: 1000 }),
    )
    expect(gains.tenant['24h'].basedOnEvents).toBe(1)
    const reported = new Map(gains.tenant['24h'].top.map((g) => [g.field, g]))
    for (const field of MISSING_FIELDS) {
      const expected = cappedTotal(ADD[field.field]!(before)) - cappedTotal(before)
      const got = reported.get(field.field)
      // IQ is re-derived from its stored 2-decimal value: a hundredth of slack.
      expect(got?.gain ?? 0, field.field).toBeCloseTo(expected, 1)
      expect(Math.abs((got?.gain ?? 0) - expected), field.field).toBeLessThan(0.02)
      if (got) expect(got, field.field).toMatchObject({ eventName: row.event_name, events: 1, missing: 1 })
    }
  })
})
