import { describe, expect, it } from 'vitest'
import { isJunkToken, isRepeatedDigits, isReservedDomain, isSequentialDigits } from './junk'

describe('isJunkToken', () => {
  it.each([
    '',
    '   ',
    'null',
    'NULL',
    'undefined',
    'None',
    'NaN',
    'anonymous',
    'Guest',
    'unknown',
    'N/A',
    ' n/a ',
    'test',
    'TEST',
    '[object Object]',
    '0',
    '-1',
    '000',
    '---',
    '0-0',
  ])('%j is junk', (value) => {
    expect(isJunkToken(value)).toBe(true)
  })

  it.each(['mary', 'testing', 'guest42', '10', '-2', 'nullable', 'anon_abc123'])('%j is not junk', (value) => {
    expect(isJunkToken(value)).toBe(false)
  })
})

describe('isReservedDomain', () => {
  it.each(['example.com', 'example.net', 'example.org', 'mail.example.com', 'shop.test', 'x.invalid', 'a.localhost', 'foo.example'])(
    '%s is reserved',
    (domain) => {
      expect(isReservedDomain(domain)).toBe(true)
    },
  )

  it.each(['example.co', 'myexample.com', 'testing.com', 'gmail.com', 'example.com.au'])('%s is not reserved', (domain) => {
    expect(isReservedDomain(domain)).toBe(false)
  })
})

describe('isRepeatedDigits', () => {
  it('spots one digit repeated', () => {
    expect(isRepeatedDigits('5555555555')).toBe(true)
    expect(isRepeatedDigits('00000000')).toBe(true)
  })

  it('lets real numbers through', () => {
    expect(isRepeatedDigits('6505551212')).toBe(false)
    expect(isRepeatedDigits('5555555556')).toBe(false)
  })
})

describe('isSequentialDigits', () => {
  it.each(['1234567890', '0123456789', '123456789', '234567890', '9876543210', '8901234567'])('%s counts', (digits) => {
    expect(isSequentialDigits(digits)).toBe(true)
  })

  it.each(['6505551212', '12345', '1234567809', '1357913579'])('%s does not count', (digits) => {
    expect(isSequentialDigits(digits)).toBe(false)
  })
})
