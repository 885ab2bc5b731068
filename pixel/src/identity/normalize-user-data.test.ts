import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { hashUserData, normalizeUserDataField, type UserDataField } from './normalize-user-data'

const sha = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex')

describe('normalizeUserDataField', () => {
  it.each<[UserDataField, string, string]>([
    ['fn', 'Mary', 'mary'],
    ['fn', ' Zoë ', 'zoë'],
    ['fn', 'Zoe\u0308', 'zoë'], // decomposed ë composes (NFC)
    ['fn', 'Mary-Ann', 'maryann'],
    ['fn', 'Mary Ann', 'maryann'],
    ['ln', "O'Brien", 'obrien'],
    ['ln', 'Müller-Lüdenscheidt', 'müllerlüdenscheidt'],
    ['ln', 'Smith Jr.', 'smithjr'],
    ['fn', 'Дмитрий', 'дмитрий'],
    ['ln', '山田', '山田'],
    ['fn', 'अनिल', 'अनिल'], // Devanagari vowel signs are combining marks: kept
    ['ct', 'San Francisco', 'sanfrancisco'],
    ['ct', 'Saint-Étienne', 'saintétienne'],
    ['ct', 'Winston-Salem (NC)', 'winstonsalemnc'],
    ['st', 'CA', 'ca'],
    ['st', ' n.y. ', 'ny'],
    ['country', 'US', 'us'],
    ['country', ' U.S. ', 'us'],
    ['zp', '94025', '94025'],
    ['zp', '94025-1234', '94025'],
    ['zp', 'SW1A 1AA', 'sw1a1aa'],
    ['zp', '00-950', '00-950'], // Poland: the dash is part of the code, only US ZIP+4 is cut
    ['db', '1990-07-04', '19900704'],
    ['db', '07/04/1990', '19900704'],
    ['ge', 'F', 'f'],
    ['ge', 'Female', 'f'],
    ['ge', ' MALE ', 'm'],
    ['ge', 'm', 'm'],
  ])('%s %j → %j', (field, raw, expected) => {
    expect(normalizeUserDataField(field, raw)).toBe(expected)
  })

  it.each<[UserDataField, string]>([
    ['fn', ''],
    ['fn', '   '],
    ['fn', '123'],
    ['fn', 'N/A'],
    ['ln', 'unknown'],
    ['ct', '-'],
    ['st', 'California'], // full state names are not mapped
    ['st', 'C'],
    ['country', 'USA'],
    ['country', 'Deutschland'],
    ['zp', '0'],
    ['zp', '9'],
    ['zp', '12345678901'],
    ['zp', '94025#'],
    ['db', '1990-02-30'],
    ['ge', 'x'],
    ['ge', 'unknown'],
    ['ge', 'fem'],
  ])('%s %j → null', (field, raw) => {
    expect(normalizeUserDataField(field, raw)).toBeNull()
  })

  it('returns null for unknown fields from untyped callers instead of reaching Object.prototype', () => {
    const untyped = normalizeUserDataField as (field: string, raw: string) => string | null
    expect(untyped('constructor', 'x')).toBeNull()
    expect(untyped('email', 'mary@acme.io')).toBeNull()
  })
})

describe('hashUserData', () => {
  it('hashes the reference vector: Mary (fn)', () => {
    expect(hashUserData({ fn: 'Mary' })).toEqual({
      fn: '6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec',
    })
  })

  it('normalises then hashes every field', () => {
    expect(
      hashUserData({
        fn: ' Zoë ',
        ln: "O'Brien",
        ct: 'San Francisco',
        st: 'CA',
        zp: '94025-1234',
        country: 'US',
        db: '07/04/1990',
        ge: 'Female',
      }),
    ).toEqual({
      fn: sha('zoë'),
      ln: sha('obrien'),
      ct: sha('sanfrancisco'),
      st: sha('ca'),
      zp: sha('94025'),
      country: sha('us'),
      db: sha('19900704'),
      ge: sha('f'),
    })
  })

  it('passes a 64-hex value through lowercased, never re-hashed', () => {
    const hash = sha('mary')
    expect(hashUserData({ fn: hash.toUpperCase(), ln: ` ${hash} ` })).toEqual({ fn: hash, ln: hash })
  })

  it('drops empty, junk and invalid fields and ignores unknown keys', () => {
    const raw = { fn: '', ln: 'n/a', st: 'California', db: '1990-02-30', ge: 'other', zp: undefined, email: 'x@y.io' }
    expect(hashUserData(raw)).toEqual({})
  })
})
