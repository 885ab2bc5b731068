import { describe, expect, it } from 'vitest'
import { EMQ_CAP_WITHOUT_MATCH_KEY, scoreEmq } from './score-emq'
import type { EmqInput } from './types'

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'
const EVENT_TIME = new Date('2026-01-13T15:30:00Z')
const after = (seconds: number) => new Date(EVENT_TIME.getTime() + seconds * 1000)

/** The reference 100.0 vector (collector/docs/emq.md). */
const PERFECT_PURCHASE: EmqInput = {
  eventName: 'Purchase',
  eventId: '0d9f5c7e-2f4b-4a51-9a7e-3c1f0b7d2e11',
  actionSource: 'website',
  identifiers: [
    { type: 'email', status: 'valid' },
    { type: 'phone', status: 'valid' },
    { type: 'external_id', status: 'valid' },
  ],
  userData: { fn: 'h', ln: 'h', ct: 'h', st: 'h', zp: 'h', country: 'h', db: 'h', ge: 'h' },
  properties: { value: 129.5, currency: 'EUR', order_id: 'A-1001', content_ids: ['sofa-1'], num_items: 1 },
  context: {
    page: { url: 'https://shop.example/checkout', referrer: 'https://shop.example/cart' },
    campaign: { utm_source: 'newsletter' },
    locale: 'en-US',
    clickIds: { fbc: 'fb.1.1768318200000.AbCdEf', fbp: 'fb.1.1768318100000.1234567890' },
  },
  eventTime: EVENT_TIME,
  receivedAt: after(30),
  clientIp: '2001:4860:4860::8888',
  userAgent: CHROME,
}

/** Everything rich except the match keys: only anonymous_id + device_id. */
const ANONYMOUS_RICH: EmqInput = {
  ...PERFECT_PURCHASE,
  identifiers: [
    { type: 'anonymous_id', status: 'valid' },
    { type: 'device_id', status: 'valid' },
  ],
  context: { ...PERFECT_PURCHASE.context, clickIds: {} },
}

describe('scoreEmq — spec vector', () => {
  it('scores the complete Purchase 100.0, Excellent, full automation', () => {
    expect(scoreEmq(PERFECT_PURCHASE)).toEqual({
      score: 100,
      band: 'excellent',
      automation: 'full',
      breakdown: { iq: 40, dc: 25, t: 20, cr: 15 },
      flags: [],
    })
  })

  it('loses the IPv6 bonus over IPv4', () => {
    expect(scoreEmq({ ...PERFECT_PURCHASE, clientIp: '8.8.8.8' }).score).toBe(99)
  })
})

describe('scoreEmq — cap at 39 without a usable match key', () => {
  it('caps a rich event that has only anonymous_id + device_id', () => {
    const result = scoreEmq(ANONYMOUS_RICH)
    const { iq, dc, t, cr } = result.breakdown
    expect(iq + dc + t + cr).toBeGreaterThan(EMQ_CAP_WITHOUT_MATCH_KEY) // would score ~66
    expect(iq).toBeCloseTo(6.44, 2) // U = 1 − .9·.95 = .145
    expect(result.score).toBe(39)
    expect(result.band).toBe('poor')
    expect(result.automation).toBe('manual')
    expect(result.flags).toEqual(['capped'])
  })

  it('caps when the only email is junk', () => {
    const junk = { ...ANONYMOUS_RICH, identifiers: [{ type: 'email', status: 'junk' }] } satisfies EmqInput
    expect(scoreEmq(junk).score).toBe(39)
    expect(scoreEmq(junk).flags).toContain('capped')
  })

  it('does not flag an event already below the cap', () => {
    const thin: EmqInput = { ...ANONYMOUS_RICH, userData: {}, properties: {}, receivedAt: after(8 * 86_400) }
    const result = scoreEmq(thin)
    expect(result.score).toBeLessThan(39)
    expect(result.flags).toEqual([])
  })

  it.each([
    ['a degraded phone', { identifiers: [{ type: 'phone', status: 'valid', degraded: true }] }],
    ['an fbp browser id', { context: { ...ANONYMOUS_RICH.context, clickIds: { fbp: 'fb.1.1.2' } } }],
    ['a gclid', { context: { ...ANONYMOUS_RICH.context, clickIds: { gclid: 'Cj0' } } }],
    ['an external_id', { identifiers: [{ type: 'external_id', status: 'valid' }] }],
  ] as const)('lifts the cap with %s', (_label, patch) => {
    const result = scoreEmq({ ...ANONYMOUS_RICH, ...patch } as EmqInput)
    expect(result.score).toBeGreaterThan(39)
    expect(result.flags).not.toContain('capped')
  })
})

describe('scoreEmq — degraded identifiers', () => {
  it('scores a default-country phone at half quality', () => {
    const base: EmqInput = { ...ANONYMOUS_RICH, identifiers: [{ type: 'phone', status: 'valid' }] }
    const degraded: EmqInput = { ...ANONYMOUS_RICH, identifiers: [{ type: 'phone', status: 'valid', degraded: true }] }
    expect(scoreEmq(base).breakdown.iq).toBe(17.78)
    expect(scoreEmq(degraded).breakdown.iq).toBe(8.89)
  })

  it('scores a shared anonymous id at half quality', () => {
    const shared: EmqInput = {
      ...ANONYMOUS_RICH,
      identifiers: [{ type: 'anonymous_id', status: 'valid', shared: true }],
    }
    expect(scoreEmq(shared).breakdown.iq).toBe(1.11)
  })
})

describe('scoreEmq — timeliness and rounding', () => {
  it('flags clock skew and gives T = 0 for an event > 5 min in the future', () => {
    const result = scoreEmq({ ...PERFECT_PURCHASE, receivedAt: after(-301) })
    expect(result.breakdown.t).toBe(0)
    expect(result.flags).toEqual(['clock_skew'])
    expect(result.score).toBe(80)
    expect(result.band).toBe('excellent')
  })

  it('can carry both flags', () => {
    expect(scoreEmq({ ...ANONYMOUS_RICH, receivedAt: after(-3600) }).flags).toEqual(['clock_skew', 'capped'])
  })

  it('rounds the score to one decimal and the breakdown to two', () => {
    const result = scoreEmq({
      eventName: 'PageView',
      identifiers: [{ type: 'email', status: 'valid' }],
      userData: {},
      properties: {},
      context: {},
      eventTime: EVENT_TIME,
      receivedAt: after(1800),
    })
    // 24.444… + 0 + 17.116… + 0 = 41.56…
    expect(result.breakdown).toEqual({ iq: 24.44, dc: 0, t: 17.12, cr: 0 })
    expect(result.score).toBe(41.6)
    expect(result.band).toBe('fair')
    expect(result.automation).toBe('limited')
  })

  it('does not count a missing client event id', () => {
    const result = scoreEmq({ ...PERFECT_PURCHASE, eventId: undefined })
    // P = 10/12 → DC = 25 · (0.6 · 10/12 + 0.4) = 22.5
    expect(result.breakdown.dc).toBe(22.5)
    expect(result.score).toBe(97.5)
  })
})

describe('scoreEmq — purity', () => {
  it('does not mutate its input and is deterministic', () => {
    const snapshot = structuredClone(PERFECT_PURCHASE)
    const first = scoreEmq(PERFECT_PURCHASE)
    expect(scoreEmq(PERFECT_PURCHASE)).toEqual(first)
    expect(PERFECT_PURCHASE).toEqual(snapshot)
  })

  it('returns a fresh flags array per call', () => {
    const a = scoreEmq(ANONYMOUS_RICH)
    const b = scoreEmq(ANONYMOUS_RICH)
    expect(a.flags).not.toBe(b.flags)
  })
})
