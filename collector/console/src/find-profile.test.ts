import { expect, test } from 'vitest'
import { lookupOrder } from './find-profile'

test.each([
  ['Jane@Shop.example', ['email']],
  ['+44 20 7946 0958', ['phone']],
  ['(020) 7946-0958', ['phone']],
  ['0b0a8f3e-2f7a-4a8e-9d6c-3b1d2c4e5f60', ['profile_id', 'anonymous_id', 'external_id']],
  ['CUST-1001', ['external_id', 'anonymous_id']],
  ['anon_1a2b', ['external_id', 'anonymous_id']],
])('"%s" is looked up as %j', (value, kinds) => {
  expect(lookupOrder('auto', value)).toEqual(kinds)
})

test('a chosen type is the only one tried', () => {
  expect(lookupOrder('anonymous_id', 'jane@shop.example')).toEqual(['anonymous_id'])
})
