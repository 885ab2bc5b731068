import { describe, expect, test } from 'vitest'
import { identifiersOf, idOf, missingOf } from './message-ids'
import { personTraits } from './person-traits'

describe('identifiersOf', () => {
  test('userId is the external id, anonymousId the anonymous id, traits add email and phone', () => {
    expect(identifiersOf('identify', { userId: 42, anonymousId: 'a1' }, personTraits({ email: 'j@shop.io', phone: '+4915123456789' }))).toEqual([
      { type: 'external_id', value: '42' },
      { type: 'anonymous_id', value: 'a1' },
      { type: 'email', value: 'j@shop.io' },
      { type: 'phone', value: '+4915123456789' },
    ])
  })

  test("an alias links its previousId, as an anonymous id, to its userId; never twice, never to itself", () => {
    expect(identifiersOf('alias', { userId: 'u1', previousId: 'a1', anonymousId: 'a1' }, personTraits({}))).toEqual([
      { type: 'external_id', value: 'u1' },
      { type: 'anonymous_id', value: 'a1' },
    ])
    expect(identifiersOf('alias', { userId: 'u1', previousId: 'u1' }, personTraits({}))).toEqual([{ type: 'external_id', value: 'u1' }])
    expect(identifiersOf('track', { userId: 'u1', previousId: 'a1' }, personTraits({}))).toEqual([{ type: 'external_id', value: 'u1' }])
  })
})

describe('missingOf', () => {
  test("what each call needs, in Segment's words", () => {
    expect(missingOf('page', { anonymousId: 'a' })).toBeNull()
    expect(missingOf('page', { userId: '' })).toBe('userId or anonymousId is required')
    expect(missingOf('track', { userId: 'u', event: ' ' })).toBe('event is required for a track call')
    expect(missingOf('group', { userId: 'u' })).toBe('groupId is required for a group call')
    expect(missingOf('alias', { previousId: 'a' })).toBe('userId is required for an alias call')
    expect(missingOf('alias', { userId: 'u' })).toBe('previousId is required for an alias call')
  })

  test('ids are strings or numbers; anything else counts as missing', () => {
    expect(idOf(7)).toBe('7')
    expect(idOf({ id: 1 })).toBeUndefined()
    expect(idOf(Number.NaN)).toBeUndefined()
  })
})
