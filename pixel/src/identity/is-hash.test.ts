import { describe, expect, it } from 'vitest'
import { isSha256Hex } from './is-hash'

const HASH = 'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176'

describe('isSha256Hex', () => {
  it('accepts 64 hex characters in any case', () => {
    expect(isSha256Hex(HASH)).toBe(true)
    expect(isSha256Hex(HASH.toUpperCase())).toBe(true)
  })

  it('rejects other lengths, non-hex characters and surrounding text', () => {
    expect(isSha256Hex(HASH.slice(1))).toBe(false)
    expect(isSha256Hex(HASH + '0')).toBe(false)
    expect(isSha256Hex('g' + HASH.slice(1))).toBe(false)
    expect(isSha256Hex(' ' + HASH)).toBe(false)
    expect(isSha256Hex('d41d8cd98f00b204e9800998ecf8427e')).toBe(false) // MD5 is not SHA-256
  })
})
