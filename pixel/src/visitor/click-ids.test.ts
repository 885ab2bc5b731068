import { describe, expect, it } from 'vitest'
import { captureAttribution, fbcFor } from './click-ids'
import type { PersistedValue } from './persisted-value'

const value = (initial: string | null = null): PersistedValue => {
  let stored = initial
  return {
    get: () => stored,
    set(v) {
      stored = v
    },
    remove() {
      stored = null
    },
  }
}
const stores = (fbp: string | null = null) => ({ fbc: value(), gclid: value(), campaign: value(), fbp: () => fbp })
const now = 1767225600000

describe('fbcFor', () => {
  it("builds Meta's fbc and keeps the original timestamp of the same click", () => {
    expect(fbcFor('IwAR2x', null, now)).toBe('fb.1.1767225600000.IwAR2x')
    expect(fbcFor('IwAR2x', 'fb.1.1700000000000.IwAR2x', now)).toBe('fb.1.1700000000000.IwAR2x')
    expect(fbcFor('New', 'fb.1.1700000000000.IwAR2x', now)).toBe('fb.1.1767225600000.New')
  })
})

describe('captureAttribution', () => {
  it('captures fbclid, _fbp, gclid and UTM parameters', () => {
    const s = stores('fb.1.1700000000000.123')
    const url = 'https://shop.example/?fbclid=IwAR2x&gclid=G1&utm_source=fb&utm_campaign=spring&q=1'
    expect(captureAttribution(url, 'S1', true, s, now)).toEqual({
      campaign: { utm_source: 'fb', utm_campaign: 'spring' },
      click_ids: { fbc: 'fb.1.1767225600000.IwAR2x', fbp: 'fb.1.1700000000000.123', gclid: 'G1' },
    })
  })

  it('carries click ids to later pages, and the campaign for the rest of its session', () => {
    const s = stores()
    captureAttribution('https://shop.example/?fbclid=A&utm_source=x', 'S1', true, s, now)
    expect(captureAttribution('https://shop.example/cart', 'S1', true, s, now + 1000)).toEqual({
      campaign: { utm_source: 'x' },
      click_ids: { fbc: 'fb.1.1767225600000.A' },
    })
    expect(captureAttribution('https://shop.example/cart', 'S2', true, s, now)).toEqual({
      click_ids: { fbc: 'fb.1.1767225600000.A' },
    })
  })

  it('neither stores nor sends advertising ids without marketing consent', () => {
    const s = stores('fb.1.1.2')
    expect(captureAttribution('https://shop.example/?fbclid=A&gclid=G', 'S1', false, s, now)).toEqual({})
    expect(s.fbc.get()).toBeNull()
    expect(s.gclid.get()).toBeNull()
  })

  it('survives a URL it cannot parse', () => {
    expect(captureAttribution('not a url', 'S1', true, stores(), now)).toEqual({})
  })
})
