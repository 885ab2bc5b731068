import { describe, expect, it } from 'vitest'
import { normalizePhone, parsePhone } from './normalize-phone'

describe('normalizePhone', () => {
  it('reads the reference vector: +1 (650) 555-1212 → 16505551212', () => {
    expect(normalizePhone('+1 (650) 555-1212')).toEqual({
      e164: '+16505551212',
      digits: '16505551212',
      countryFromDefault: false,
    })
  })

  it.each([
    ['+44 20 7946 0958', '442079460958'],
    ['+49 30 1234567', '49301234567'],
    ['+33 1 42 68 53 00', '33142685300'],
    ['+39 06 1234 5678', '390612345678'], // Italy keeps its leading 0
    ['+7 912 345-67-89', '79123456789'],
    ['+212 6 12 34 56 78', '212612345678'],
    ['0044 20 7946 0958', '442079460958'],
    ['0049.30.1234567', '49301234567'],
    ['+49 (0)30 1234567', '49301234567'], // the "(0)" convention: trunk 0 after the country code
    ['+44 020 7946 0958', '442079460958'],
    ['+36 06 1 234 5678', '3612345678'], // Hungary's trunk prefix is 06
    ['＋４４ ２０ ７９４６ ０９５８', '442079460958'], // full-width input (NFKC)
  ])('takes the country from %j', (raw, digits) => {
    expect(normalizePhone(raw, 'US')).toEqual({ e164: '+' + digits, digits, countryFromDefault: false })
  })

  it.each([
    ['(650) 555-1212', 'US', '16505551212'],
    ['650.555.1212', 'us', '16505551212'],
    ['416-555-0199', 'CA', '14165550199'],
    ['020 7946 0958', 'GB', '442079460958'],
    ['07911 123456', 'GB', '447911123456'],
    ['030 1234567', 'DE', '49301234567'],
    ['030/1234567', 'DE', '49301234567'],
    ['0151 12345678', 'DE', '4915112345678'],
    ['01 42 68 53 00', 'FR', '33142685300'],
    ['06 12 34 56 78', 'FR', '33612345678'],
    ['06 1234 5678', 'IT', '390612345678'], // Italy: the 0 is part of the number
    ['0549 123456', 'SM', '3780549123456'],
    ['8 (912) 345-67-89', 'RU', '79123456789'], // Russia's trunk prefix is 8
  ])('reads %j as a national number of %s', (raw, country, digits) => {
    expect(normalizePhone(raw, country)).toEqual({ e164: '+' + digits, digits, countryFromDefault: true })
  })

  it('reads an 11-digit NANP number starting with 1 as carrying its country code', () => {
    expect(normalizePhone('1 650 555 1212', 'US')).toEqual({
      e164: '+16505551212',
      digits: '16505551212',
      countryFromDefault: false,
    })
    expect(normalizePhone('1-416-555-0199', 'CA')?.digits).toBe('14165550199')
    expect(normalizePhone('7 912 345 67 89', 'RU')).toMatchObject({ digits: '79123456789', countryFromDefault: false })
  })

  it('reads 00 as the international prefix even with a default country', () => {
    expect(normalizePhone('0020 100 123 4567', 'GB')).toMatchObject({ digits: '201001234567', countryFromDefault: false })
  })

  it('needs exactly 10 national digits for NANP and Russia', () => {
    expect(normalizePhone('555-1212', 'US')).toBeNull()
    expect(normalizePhone('+1 650 555 12120')).toBeNull()
    expect(normalizePhone('+7 912 345 67 8')).toBeNull()
  })

  it('accepts 8 to 15 digits in all', () => {
    expect(normalizePhone('+47 1234 56')?.digits).toBe('47123456') // 8
    expect(normalizePhone('+47 1234 5')).toBeNull() // 7
    expect(normalizePhone('+49 1234 5678 9012 3')?.digits).toBe('491234567890123') // 15
    expect(normalizePhone('+49 1234 5678 9012 34')).toBeNull() // 16
  })

  it.each([
    ['', 'US'],
    ['phone', 'US'],
    ['+1-800-FLOWERS', 'US'],
    ['650 555 1212 ext 4', 'US'],
    ['+', 'US'],
    ['1+6505551212', 'US'],
    ['+28 1234 5678', 'US'], // no country code starts with 28
  ])('rejects %j', (raw, country) => {
    expect(normalizePhone(raw, country)).toBeNull()
  })

  it('needs a country: none in the value and no (known) default is null', () => {
    expect(normalizePhone('(650) 555-1212')).toBeNull()
    expect(normalizePhone('(650) 555-1212', 'ZZ')).toBeNull()
  })
})

describe('parsePhone', () => {
  it('says why it failed', () => {
    expect(parsePhone('(650) 555-1212')).toBe('no_country')
    expect(parsePhone('(650) 555-1212', 'XX')).toBe('no_country')
    expect(parsePhone('555-1212', 'US')).toBe('invalid_phone')
    expect(parsePhone('call me', 'US')).toBe('invalid_phone')
    expect(parsePhone('+28 1234 5678')).toBe('invalid_phone')
  })
})
