import { describe, expect, test } from 'vitest'
import { eventIdOfMessage, uuidV5 } from './message-id'

describe('eventIdOfMessage', () => {
  test('is the RFC 9562 UUIDv5 (checked against an independent implementation, Python uuid.uuid5)', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d')
    expect(eventIdOfMessage('msg-1')).toBe('a9984536-68d0-5874-b9d3-859533d190e3')
  })

  test('a replay maps to the same id; another message to another', () => {
    expect(eventIdOfMessage('ajs-next-1')).toBe(eventIdOfMessage('ajs-next-1'))
    expect(eventIdOfMessage('ajs-next-1')).not.toBe(eventIdOfMessage('ajs-next-2'))
  })

  test('a messageId that is itself a UUID never maps to itself', () => {
    const uuid = '0f8e3c1a-6c1b-4a4e-8f57-2a4a3e3b9c10'
    expect(eventIdOfMessage(uuid)).not.toBe(uuid)
    expect(eventIdOfMessage(uuid)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })
})
