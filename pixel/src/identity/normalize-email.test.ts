import { describe, expect, it } from 'vitest'
import { normalizeEmail } from './normalize-email'

describe('normalizeEmail', () => {
  it('trims and lowercases', () => {
    expect(normalizeEmail('  John_Smith@Gmail.COM \n')).toBe('john_smith@gmail.com')
  })

  it('composes Unicode (NFC): a decomposed é equals the composed one', () => {
    const decomposed = 'rene\u0301@exemple.fr'
    const composed = 'ren\u00e9@exemple.fr'
    expect(decomposed).not.toBe(composed)
    expect(normalizeEmail(decomposed)).toBe(composed)
    expect(normalizeEmail(composed.toUpperCase())).toBe(composed)
  })

  it('keeps dots and +tags: other platforms hash the address as typed', () => {
    expect(normalizeEmail('J.Smith+shop@gmail.com')).toBe('j.smith+shop@gmail.com')
  })

  it('accepts internationalised domains', () => {
    expect(normalizeEmail('ivan@пример.рф')).toBe('ivan@пример.рф')
    expect(normalizeEmail('ivan@xn--e1afmkfd.xn--p1ai')).toBe('ivan@xn--e1afmkfd.xn--p1ai')
  })

  it.each([
    'john',
    'john@',
    '@gmail.com',
    'john@gmail',
    'john@gmail.c',
    'john@gmail.c0m',
    'john@@gmail.com',
    'john@a@gmail.com',
    'john smith@gmail.com',
    'john@gmail..com',
    'john@.gmail.com',
    'Mary <mary@gmail.com>',
    'a@b.com, c@d.com',
    '',
  ])('rejects %j', (raw) => {
    expect(normalizeEmail(raw)).toBeNull()
  })
})
