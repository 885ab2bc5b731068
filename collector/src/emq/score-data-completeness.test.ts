import { describe, expect, it } from 'vitest'
import {
  isValidCurrency,
  payloadCompleteness,
  SOFT_FIELD_WEIGHTS,
  scoreDataCompleteness,
  softFieldCompleteness,
} from './score-data-completeness'
import type { EmqInput } from './types'

type DcInput = Parameters<typeof scoreDataCompleteness>[0]

const FULL_PURCHASE: DcInput = {
  eventName: 'Purchase',
  eventId: '0d9f5c7e-uuid',
  actionSource: 'website',
  properties: { value: 129.5, currency: 'EUR', order_id: 'A-1001', content_ids: ['sofa-1'], num_items: 1 },
  context: { page: { url: 'https://shop.example/checkout' } },
  userData: { fn: 'h', ln: 'h', ct: 'h', st: 'h', zp: 'h', country: 'h', db: 'h', ge: 'h' },
}

function purchase(properties: Record<string, unknown>): DcInput {
  return { ...FULL_PURCHASE, properties: { ...FULL_PURCHASE.properties, ...properties } }
}

describe('isValidCurrency', () => {
  it.each(['EUR', 'usd', 'eUr', 'JPY'])('accepts %s', (code) => {
    expect(isValidCurrency(code)).toBe(true)
  })
  it.each(['EURO', 'XXY', '', 'EU', 'BTC', 123, undefined, null])('rejects %o', (code) => {
    expect(isValidCurrency(code)).toBe(false)
  })
})

describe('payloadCompleteness', () => {
  it('is 1 for a complete web Purchase', () => {
    expect(payloadCompleteness(FULL_PURCHASE)).toBe(1)
  })

  // Web Purchase: required event_id, action_source, value, currency (2 each = 8);
  // recommended order_id, content_ids, num_items, page URL (1 each = 4) → 12.
  it.each([
    ['an invalid currency (EURO)', purchase({ currency: 'EURO' }), 10 / 12],
    ['an invalid currency (XXY)', purchase({ currency: 'XXY' }), 10 / 12],
    ['an empty currency', purchase({ currency: '' }), 10 / 12],
    ['a lower-case valid currency', purchase({ currency: 'usd' }), 1],
    ['a string value', purchase({ value: '129.5' }), 10 / 12],
    ['a NaN value', purchase({ value: Number.NaN }), 10 / 12],
    ['an infinite value', purchase({ value: Number.POSITIVE_INFINITY }), 10 / 12],
    ['a numeric order id', purchase({ order_id: 1001 }), 1],
    ['an empty order id', purchase({ order_id: '' }), 11 / 12],
    ['empty content ids', purchase({ content_ids: [] }), 11 / 12],
    ['no num_items', purchase({ num_items: undefined }), 11 / 12],
    ['no event id', { ...FULL_PURCHASE, eventId: undefined }, 10 / 12],
    ['no page URL', { ...FULL_PURCHASE, context: {} }, 11 / 12],
  ])('web Purchase with %s', (_label, input, expected) => {
    expect(payloadCompleteness(input)).toBeCloseTo(expected, 12)
  })

  it('drops the page-URL recommendation for non-web events', () => {
    // No action_source: 0 of 4 required … and not known to be web, so 4 + 4 + 3 = 11 possible.
    expect(payloadCompleteness({ ...FULL_PURCHASE, actionSource: undefined })).toBeCloseTo(9 / 11, 12)
    expect(payloadCompleteness({ ...FULL_PURCHASE, actionSource: 'physical_store', context: {} })).toBe(1)
  })

  it.each([
    ['AddToCart', 4 / 7],
    ['ViewContent', 4 / 7],
    ['InitiateCheckout', 4 / 7],
    ['Lead', 4 / 6],
    ['PageView', 1],
    ['MyCustomEvent', 1],
    // Prototype keys must not be mistaken for field lists.
    ['constructor', 1],
    ['__proto__', 1],
  ])('%s with only event_id and action_source → %d', (eventName, expected) => {
    const input = { eventName, eventId: 'e', actionSource: 'app', properties: {}, context: {} }
    expect(payloadCompleteness(input)).toBeCloseTo(expected, 12)
  })

  it('counts value, currency and content ids on AddToCart', () => {
    const input = {
      eventName: 'AddToCart',
      eventId: 'e',
      actionSource: 'app',
      properties: { value: 10, currency: 'gbp', content_ids: ['sku'] },
      context: {},
    }
    expect(payloadCompleteness(input)).toBe(1)
  })

  it('is 0 with nothing at all', () => {
    expect(payloadCompleteness({ eventName: 'Purchase', properties: {}, context: {} })).toBe(0)
  })
})

describe('softFieldCompleteness', () => {
  it('weights sum to 1', () => {
    expect(Object.values(SOFT_FIELD_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(1)
    expect(softFieldCompleteness(FULL_PURCHASE.userData)).toBe(1)
  })

  it('needs fn and ln together', () => {
    expect(softFieldCompleteness({ fn: 'h' })).toBe(0)
    expect(softFieldCompleteness({ ln: 'h' })).toBe(0)
    expect(softFieldCompleteness({ fn: 'h', ln: 'h' })).toBe(0.3)
    expect(softFieldCompleteness({ fn: 'h', ln: '' })).toBe(0)
  })

  it.each([
    ['zp', 0.15],
    ['country', 0.15],
    ['db', 0.15],
    ['ct', 0.1],
    ['st', 0.1],
    ['ge', 0.05],
  ] as const)('%s alone → %d', (key, weight) => {
    const userData: EmqInput['userData'] = { [key]: 'h' }
    expect(softFieldCompleteness(userData)).toBe(weight)
  })

  it('ignores empty strings', () => {
    expect(softFieldCompleteness({ zp: '', country: '' })).toBe(0)
  })
})

describe('scoreDataCompleteness', () => {
  it('is 25 for a complete Purchase', () => {
    expect(scoreDataCompleteness(FULL_PURCHASE)).toBe(25)
  })
  it('is 25 · 0.4 with only soft fields', () => {
    expect(scoreDataCompleteness({ ...FULL_PURCHASE, eventId: undefined, actionSource: undefined, properties: {} })).toBe(10)
  })
  it('is 25 · 0.6 · P without soft fields', () => {
    expect(scoreDataCompleteness({ ...FULL_PURCHASE, userData: {} })).toBe(15)
    expect(scoreDataCompleteness({ ...purchase({ currency: 'EURO' }), userData: {} })).toBeCloseTo(12.5, 12)
  })
})
