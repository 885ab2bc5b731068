import { describe, expect, it } from 'vitest'
import {
  hasClickId,
  hasUsableMatchKey,
  identifierQuality,
  isUsableClickId,
  scoreIdentifierQuality,
} from './score-identifier-quality'
import type { EmqIdentifier } from './types'

const email: EmqIdentifier = { type: 'email', status: 'valid' }
const phone: EmqIdentifier = { type: 'phone', status: 'valid' }
const degradedPhone: EmqIdentifier = { type: 'phone', status: 'valid', degraded: true }
const anon: EmqIdentifier = { type: 'anonymous_id', status: 'valid' }
const sharedAnon: EmqIdentifier = { type: 'anonymous_id', status: 'valid', shared: true }
const device: EmqIdentifier = { type: 'device_id', status: 'valid' }
const externalId: EmqIdentifier = { type: 'external_id', status: 'valid' }

describe('scoreIdentifierQuality — spec vectors', () => {
  it('only a valid email → 24.44', () => {
    expect(scoreIdentifierQuality([email], undefined)).toBeCloseTo(24.44, 2)
  })
  it('email + phone → 32.44', () => {
    expect(scoreIdentifierQuality([email, phone], undefined)).toBeCloseTo(32.44, 2)
  })
  it('only anonymous_id → 2.22', () => {
    expect(scoreIdentifierQuality([anon], undefined)).toBeCloseTo(2.22, 2)
  })
})

describe('scoreIdentifierQuality — quality and keys', () => {
  it('is 0 with nothing', () => {
    expect(scoreIdentifierQuality([], undefined)).toBe(0)
    expect(scoreIdentifierQuality([], {})).toBe(0)
  })

  it('halves a phone whose country came from the default', () => {
    expect(scoreIdentifierQuality([phone], undefined)).toBeCloseTo((40 * 0.4) / 0.9, 10) // 17.78
    expect(scoreIdentifierQuality([degradedPhone], undefined)).toBeCloseTo((40 * 0.2) / 0.9, 10) // 8.89
  })

  it('halves a shared anonymous id', () => {
    expect(scoreIdentifierQuality([sharedAnon], undefined)).toBeCloseTo((40 * 0.025) / 0.9, 10) // 1.11
  })

  it('gives junk and invalid identifiers nothing', () => {
    expect(scoreIdentifierQuality([{ type: 'email', status: 'junk' }], undefined)).toBe(0)
    expect(scoreIdentifierQuality([{ type: 'phone', status: 'invalid' }], undefined)).toBe(0)
  })

  it('takes the best q per type, in any order, and never adds duplicates', () => {
    const best = scoreIdentifierQuality([phone], undefined)
    expect(scoreIdentifierQuality([degradedPhone, phone], undefined)).toBe(best)
    expect(scoreIdentifierQuality([phone, degradedPhone], undefined)).toBe(best)
    expect(scoreIdentifierQuality([{ type: 'email', status: 'junk' }, email], undefined)).toBeCloseTo(24.44, 2)
    expect(scoreIdentifierQuality([email, email, email], undefined)).toBeCloseTo(24.44, 2)
  })

  it('counts click ids as one key (max), fbp as its own key', () => {
    const fbcOnly = scoreIdentifierQuality([], { fbc: 'fb.1.1.a' })
    expect(fbcOnly).toBeCloseTo(20, 10)
    expect(scoreIdentifierQuality([], { fbc: 'fb.1.1.a', gclid: 'g', ttclid: 't' })).toBe(fbcOnly)
    expect(scoreIdentifierQuality([], { ttclid: 't' })).toBe(fbcOnly)
    expect(scoreIdentifierQuality([], { fbp: 'fb.1.1.2' })).toBeCloseTo((40 * 0.2) / 0.9, 10)
    expect(scoreIdentifierQuality([], { fbc: '', gclid: '' })).toBe(0)
  })

  it('combines as 1 − Π(1 − w·q) and saturates at U = 0.9', () => {
    // email + click + phone: U = 1 − .45·.55·.6 = .8515
    expect(scoreIdentifierQuality([email, phone], { gclid: 'g' })).toBeCloseTo((40 * 0.8515) / 0.9, 10)
    // + external_id: U = .89605, still below saturation
    expect(scoreIdentifierQuality([email, phone, externalId], { gclid: 'g' })).toBeCloseTo(39.82, 2)
    // + fbp: U = .91684 ≥ .9 → full marks, never more
    expect(scoreIdentifierQuality([email, phone, externalId], { gclid: 'g', fbp: 'p' })).toBe(40)
    expect(scoreIdentifierQuality([email, phone, externalId, device, anon], { fbc: 'c', fbp: 'p' })).toBe(40)
  })
})

describe('identifierQuality', () => {
  it.each([
    [{ type: 'email', status: 'valid' }, 1],
    [{ type: 'phone', status: 'valid', degraded: true }, 0.5],
    [{ type: 'device_id', status: 'valid', shared: true }, 0.5],
    [{ type: 'device_id', status: 'valid', shared: true, degraded: true }, 0.5],
    [{ type: 'email', status: 'junk' }, 0],
    [{ type: 'phone', status: 'invalid', degraded: true }, 0],
  ] as const)('%o → %d', (identifier, q) => {
    expect(identifierQuality(identifier)).toBe(q)
  })
})

describe('click ids', () => {
  it('needs a non-empty string', () => {
    expect(isUsableClickId('x')).toBe(true)
    expect(isUsableClickId('')).toBe(false)
    expect(isUsableClickId(undefined)).toBe(false)
    expect(isUsableClickId(42)).toBe(false)
  })
  it('does not treat fbp as a click id', () => {
    expect(hasClickId({ fbp: 'p' })).toBe(false)
    expect(hasClickId({ gclid: 'g' })).toBe(true)
    expect(hasClickId(undefined)).toBe(false)
  })
})

describe('hasUsableMatchKey', () => {
  it.each([
    ['valid email', [email], undefined, true],
    ['degraded phone', [degradedPhone], undefined, true],
    ['external_id', [externalId], undefined, true],
    ['junk email', [{ type: 'email', status: 'junk' }], undefined, false],
    ['invalid external_id', [{ type: 'external_id', status: 'invalid' }], undefined, false],
    ['anonymous + device ids', [anon, device], undefined, false],
    ['fbp only', [], { fbp: 'p' }, true],
    ['gclid only', [], { gclid: 'g' }, true],
    ['empty click ids', [anon], { fbc: '', fbp: '' }, false],
  ] as const)('%s → %s', (_label, identifiers, clickIds, expected) => {
    expect(hasUsableMatchKey(identifiers, clickIds)).toBe(expected)
  })
})
