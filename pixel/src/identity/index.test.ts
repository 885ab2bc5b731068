import { describe, expect, it } from 'vitest'
import * as identity from './index'

describe('@stratum/pixel/identity', () => {
  it('exports exactly the public API', () => {
    expect(Object.keys(identity).sort()).toEqual([
      'IDENTIFIER_TYPES',
      'callingCodeFor',
      'hashUserData',
      'isJunkHash',
      'isSha256Hex',
      'normalizeEmail',
      'normalizeIdentifier',
      'normalizePhone',
      'normalizeUserDataField',
      'sha256Hex',
    ])
  })

  it('lists every identifier type, in resolution priority order, frozen', () => {
    expect(identity.IDENTIFIER_TYPES).toEqual(['external_id', 'email', 'phone', 'device_id', 'anonymous_id'])
    expect(Object.isFrozen(identity.IDENTIFIER_TYPES)).toBe(true)
  })

  it('passes the reference vectors', () => {
    expect(identity.normalizeIdentifier('email', 'John_Smith@gmail.com').value).toBe(
      '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f',
    )
    expect(identity.normalizePhone('+1 (650) 555-1212')?.digits).toBe('16505551212')
    expect(identity.normalizeIdentifier('phone', '+1 (650) 555-1212').value).toBe(
      'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176',
    )
    expect(identity.hashUserData({ fn: 'Mary' }).fn).toBe(
      '6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec',
    )
  })
})
