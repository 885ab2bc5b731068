import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { isJunkHash } from './junk-hash'

/** Node's SHA-256 as an independent oracle for the module's own hashing. */
const sha = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex')

describe('isJunkHash', () => {
  it('knows hashed junk emails, in any case', () => {
    expect(isJunkHash('email', sha('test@test.com'))).toBe(true)
    expect(isJunkHash('email', sha('a@a.com').toUpperCase())).toBe(true)
  })

  it('knows hashed junk tokens and the hash of the empty string, for every type', () => {
    for (const type of ['email', 'phone', 'external_id', 'device_id', 'anonymous_id'] as const) {
      expect(isJunkHash(type, sha('null'))).toBe(true)
      expect(isJunkHash(type, sha(''))).toBe(true)
      expect(isJunkHash(type, sha('[object object]'))).toBe(true)
      expect(isJunkHash(type, sha('0000'))).toBe(true)
    }
  })

  it('knows obvious fake phones, bare or behind a common calling code', () => {
    expect(isJunkHash('phone', sha('1234567890'))).toBe(true) // +1 234 567 890 typed in full
    expect(isJunkHash('phone', sha('11234567890'))).toBe(true) // 1234567890 in a US form
    expect(isJunkHash('phone', sha('441234567890'))).toBe(true) // … in a UK form
    expect(isJunkHash('phone', sha('49123456789'))).toBe(true) // 0123456789 in a German form
    expect(isJunkHash('phone', sha('15555555555'))).toBe(true)
    expect(isJunkHash('phone', sha('00000000'))).toBe(true)
    expect(isJunkHash('phone', sha('999999999999999'))).toBe(true)
  })

  it('scopes the lists to their type', () => {
    expect(isJunkHash('phone', sha('test@test.com'))).toBe(false)
    expect(isJunkHash('email', sha('11234567890'))).toBe(false)
  })

  it('lets real values through', () => {
    expect(isJunkHash('email', sha('john_smith@gmail.com'))).toBe(false)
    expect(isJunkHash('phone', sha('16505551212'))).toBe(false)
    expect(isJunkHash('external_id', sha('user-42'))).toBe(false)
    expect(isJunkHash('email', 'not a hash')).toBe(false)
  })
})
