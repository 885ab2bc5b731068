import { describe, expect, test } from 'vitest'
import { type MapOptions, mapMessage } from './map-message'
import { eventIdOfMessage } from './message-id'

const receivedAt = new Date('2026-03-01T12:00:00Z')
const options: MapOptions = { receivedAt, fallbackSource: 'server', path: 'message' }
const mapped = (message: unknown, more: Partial<MapOptions> = {}) => {
  const result = mapMessage(message, { ...options, ...more })
  if ('code' in result) throw new Error(result.message)
  return result.event as Record<string, any>
}

describe('mapMessage', () => {
  test('a track: standard name and properties, the original name and messageId kept, transport fields dropped', () => {
    const event = mapped({
      type: 'track',
      event: 'Order Completed',
      userId: 'u1',
      messageId: 'm-1',
      timestamp: '2026-03-01T11:59:00Z',
      properties: { order_id: 'o1', revenue: 20, currency: 'EUR' },
      context: { traits: { email: 'jane@shop.io', plan: 'pro' }, library: { name: '@segment/analytics-node', version: '3.1.0' } },
      integrations: { Mixpanel: false },
      writeKey: 'ssk_secret',
      sentAt: '2026-03-01T11:59:30Z',
      _metadata: { bundled: [] },
      version: 2,
      receivedAt: 'x',
      rudderId: 'r-1',
    })
    expect(event).toEqual({
      event_id: eventIdOfMessage('m-1'),
      event_name: 'Purchase',
      event_time: '2026-03-01T11:59:00.000Z',
      action_source: 'server',
      identifiers: [
        { type: 'external_id', value: 'u1' },
        { type: 'email', value: 'jane@shop.io' },
      ],
      user_data: {},
      properties: { order_id: 'o1', revenue: 20, currency: 'EUR', value: 20 },
      context: {
        library: { name: '@segment/analytics-node', version: '3.1.0' },
        traits: { plan: 'pro' },
        segment: { rudderId: 'r-1', type: 'track', event: 'Order Completed', message_id: 'm-1', integrations: { Mixpanel: false } },
      },
    })
    expect(JSON.stringify(event)).not.toContain('ssk_secret')
  })

  test('identify: the traits are the properties, less what identifies the person', () => {
    const event = mapped({ type: 'identify', userId: 'u1', traits: { email: 'j@shop.io', firstName: 'Jane', address: { street: 'Main 1' }, plan: 'pro' }, context: { traits: { plan: 'free', tier: 2 } } })
    expect(event).toMatchObject({
      event_name: 'Identify',
      identifiers: [
        { type: 'external_id', value: 'u1' },
        { type: 'email', value: 'j@shop.io' },
      ],
      user_data: { fn: 'Jane' },
      properties: { plan: 'pro', tier: 2 },
      context: { segment: { type: 'identify', dropped_traits: ['traits.address.street'] } },
    })
    expect(event.context.traits).toBeUndefined()
  })

  test('page, screen, group and alias', () => {
    expect(mapped({ type: 'page', anonymousId: 'a1', name: 'Home', category: 'Docs', properties: { url: 'https://shop.example/', title: 'Home' } })).toMatchObject({
      event_name: 'PageView',
      action_source: 'website',
      properties: { url: 'https://shop.example/', title: 'Home', name: 'Home', category: 'Docs' },
      context: { page: { url: 'https://shop.example/', title: 'Home' } },
    })
    expect(mapped({ type: 'screen', anonymousId: 'a1', name: 'Cart', context: { device: { type: 'android' } } })).toMatchObject({
      event_name: 'ScreenView',
      action_source: 'app',
      properties: { name: 'Cart' },
    })
    expect(mapped({ type: 'group', userId: 'u1', groupId: 'g1', traits: { name: 'Acme', email: 'boss@acme.io' } })).toMatchObject({
      event_name: 'Group',
      properties: { group_id: 'g1', traits: { name: 'Acme' } },
      context: { segment: { dropped_traits: ['traits.email'] } },
    })
    expect(mapped({ type: 'alias', userId: 'u1', previousId: 'a1' })).toMatchObject({
      event_name: 'Alias',
      identifiers: [
        { type: 'external_id', value: 'u1' },
        { type: 'anonymous_id', value: 'a1' },
      ],
    })
  })

  test("top-level traits on another call are the person's too: nothing personal is kept raw", () => {
    const event = mapped({ type: 'page', anonymousId: 'a1', traits: { email: 'j@shop.io', plan: 'pro', street: 'Main 1' } })
    expect(event.identifiers).toContainEqual({ type: 'email', value: 'j@shop.io' })
    expect(event.context.traits).toEqual({ plan: 'pro' })
    expect(JSON.stringify(event)).not.toContain('Main 1')
  })

  test("the route's call type wins over the message's", () => {
    expect(mapped({ type: 'alias', userId: 'u1', event: 'Signed Up' }, { type: 'track' }).event_name).toBe('CompleteRegistration')
  })

  test('what cannot be mapped says why, naming the path and never the value', () => {
    const deep = { type: 'track', event: 'E', userId: 'u', properties: { a: { b: { c: { d: { e: { f: 1 } } } } } } }
    expect(mapMessage(deep, { ...options, path: 'batch[2]' })).toEqual({ code: 'too_deep', message: expect.stringMatching(/^batch\[2\]\.properties\.a\.b\.c\.d\.e is nested too deeply/) })
    expect(mapMessage(JSON.parse('{"type":"track","event":"E","userId":"u","properties":{"__proto__":{}}}'), options)).toMatchObject({ code: 'forbidden_key' })
    expect(mapMessage('track', options)).toEqual({ code: 'invalid_message', message: 'message must be a JSON object' })
    expect(mapMessage({ type: 'track', event: 'E', userId: 'jane@shop.io', properties: [1] }, options)).toEqual({
      code: 'invalid_message',
      message: 'message.properties must be an object',
    })
    const big = mapMessage({ type: 'track', event: 'E', userId: 'u', properties: { x: 'y'.repeat(33_000) } }, options)
    expect(big).toMatchObject({ code: 'event_too_large' })
  })

  test('a nesting far beyond the limit is refused without recursing', () => {
    let deep: Record<string, unknown> = {}
    const root = { type: 'track', event: 'E', userId: 'u', properties: deep }
    for (let i = 0; i < 100_000; i++) {
      const next = {}
      deep.a = next
      deep = next
    }
    expect(mapMessage(root, options)).toMatchObject({ code: 'too_deep' })
  })
})
