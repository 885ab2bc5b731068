import { describe, expect, it } from 'vitest'
import { callingCodeFor, callingCodeOf } from './country-calling-codes'

describe('callingCodeFor', () => {
  it.each([
    ['US', '1'],
    ['CA', '1'],
    ['JM', '1'],
    ['RU', '7'],
    ['KZ', '7'],
    ['GB', '44'],
    ['JE', '44'],
    ['DE', '49'],
    ['FR', '33'],
    ['IT', '39'],
    ['VA', '39'],
    ['SM', '378'],
    ['BR', '55'],
    ['IN', '91'],
    ['CN', '86'],
    ['MA', '212'],
    ['ZA', '27'],
    ['RE', '262'],
    ['YT', '262'],
    ['FI', '358'],
    ['AX', '358'],
    ['CW', '599'],
    ['XK', '383'],
    ['UZ', '998'],
  ])('%s → +%s', (country, code) => {
    expect(callingCodeFor(country)).toBe(code)
  })

  it('ignores case', () => {
    expect(callingCodeFor('gb')).toBe('44')
  })

  it('gets the consecutive codes of an implicit run right at both ends', () => {
    // 220 GM … 258 MZ is one run: an off-by-one in the unpacking would shift every country.
    expect(callingCodeFor('GM')).toBe('220')
    expect(callingCodeFor('CI')).toBe('225')
    expect(callingCodeFor('NG')).toBe('234')
    expect(callingCodeFor('KE')).toBe('254')
    expect(callingCodeFor('MZ')).toBe('258')
    expect(callingCodeFor('ZM')).toBe('260')
    expect(callingCodeFor('NP')).toBe('977')
  })

  it('covers (nearly) every ITU country', () => {
    const missing = 'AD AE AF AL AM AO AR AT AU AZ BA BD BE BG BH BO BR BY CH CL CO CR CU CY CZ DK DZ EC EE EG ES ET GE GH GR GT HK HN HR HU ID IE IL IQ IR IS JO JP KE KG KH KR KW LA LB LK LT LU LV LY MD ME MK MM MN MO MT MX MY NG NI NL NO NP NZ OM PA PE PG PH PK PL PS PT PY QA RO RS SA SD SE SG SI SK SV SY TH TJ TM TN TR TW TZ UA UG UY VE VN YE ZW'
      .split(' ')
      .filter((country) => callingCodeFor(country) === undefined)
    expect(missing).toEqual([])
  })

  it('has no code for unknown or code-less countries', () => {
    expect(callingCodeFor('ZZ')).toBeUndefined()
    expect(callingCodeFor('BV')).toBeUndefined() // Bouvet Island has no telephone service
    expect(callingCodeFor('')).toBeUndefined()
    expect(callingCodeFor('USA')).toBeUndefined()
  })
})

describe('callingCodeOf', () => {
  it('reads 1-, 2- and 3-digit codes off an international number', () => {
    expect(callingCodeOf('16505551212')).toBe('1')
    expect(callingCodeOf('79123456789')).toBe('7')
    expect(callingCodeOf('442079460958')).toBe('44')
    expect(callingCodeOf('390612345678')).toBe('39')
    expect(callingCodeOf('3780549123456')).toBe('378')
    expect(callingCodeOf('212612345678')).toBe('212')
  })

  it('finds nothing when the number starts with an unassigned code', () => {
    expect(callingCodeOf('2812345678')).toBeUndefined()
    expect(callingCodeOf('0612345678')).toBeUndefined()
    expect(callingCodeOf('')).toBeUndefined()
  })
})
