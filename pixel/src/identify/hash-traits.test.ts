import { describe, expect, it, vi } from 'vitest'
import { hashTraits, identifyUser } from './hash-traits'
import { mergeUsers } from './identified-user'

describe('hashTraits', () => {
  it('hashes the reference vectors', () => {
    expect(hashTraits({ email: 'John_Smith@gmail.com', phone: '+1 (650) 555-1212', firstName: 'Mary' })).toEqual({
      identifiers: [
        { type: 'email', value: '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f' },
        { type: 'phone', value: 'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176' },
      ],
      user_data: { fn: '6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec' },
    })
  })

  it('never keeps a junk or invalid identifier, and says so', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(hashTraits({ email: 'test@test.com', phone: '1234567890', externalId: 'undefined' }).identifiers).toEqual([])
    expect(warn).toHaveBeenCalledTimes(3)
    warn.mockRestore()
  })

  it('marks role mailboxes and keeps external ids readable', () => {
    expect(hashTraits({ email: 'sales@shop-example.com', externalId: ' CRM-42 ' }).identifiers).toEqual([
      { type: 'email', value: expect.stringMatching(/^[0-9a-f]{64}$/), role: true },
      { type: 'external_id', value: 'CRM-42' },
    ])
  })

  it('reads national phone numbers with the country of the traits, else the default', () => {
    const us = hashTraits({ phone: '(650) 555-1212' }, 'US').identifiers[0]?.value
    expect(us).toBe('e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176')
    expect(hashTraits({ phone: '(650) 555-1212', country: 'US' }).identifiers[0]?.value).toBe(us)
  })
})

describe('mergeUsers', () => {
  it('replaces an identifier of the same type and merges user data', () => {
    const first = hashTraits({ email: 'a@shop-example.com', firstName: 'Mary' })
    const second = hashTraits({ email: 'b@shop-example.com', phone: '+16505551212', lastName: 'Smith' })
    const merged = mergeUsers(first, second)
    expect(merged.identifiers.map((id) => id.type)).toEqual(['email', 'phone'])
    expect(merged.identifiers[0]).toEqual(second.identifiers[0])
    expect(Object.keys(merged.user_data)).toEqual(['fn', 'ln'])
  })
})

describe('identifyUser', () => {
  const known = { identifiers: [{ type: 'email' as const, value: 'old' }], user_data: { ct: 'x' } }

  it('merges what the traits tell into what was known', () => {
    const user = identifyUser(known, { phone: '+16505551212', firstName: 'Mary' })
    expect(user?.identifiers.map((id) => id.type)).toEqual(['email', 'phone'])
    expect(Object.keys(user?.user_data ?? {})).toEqual(['ct', 'fn'])
  })

  it('reads national phone numbers with the default country', () => {
    expect(identifyUser(known, { phone: '(650) 555-1212' }, 'US')?.identifiers[1]?.value).toBe(
      hashTraits({ phone: '+1 650 555 1212' }).identifiers[0]?.value,
    )
  })

  it('learns nothing from traits with nothing usable, or none at all', () => {
    expect(identifyUser(known, { email: 'test@test.com' })).toBeUndefined()
    expect(identifyUser(known, undefined)).toBeUndefined()
  })
})
