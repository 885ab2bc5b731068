import { expect, test } from 'vitest'
import { classifyDeliveries } from './classify-deliveries'
import type { DeliveryEvent } from './delivery-event'

const event = (id: string, overrides: Partial<DeliveryEvent> = {}): DeliveryEvent => ({
  eventId: id, eventName: 'Purchase', eventTime: new Date(), receivedAt: new Date(), profileId: `p-${id}`, sourceId: null, sourceType: null,
  actionSource: 'website', identifiers: [{ type: 'email', value: 'a'.repeat(64), status: 'valid' }], userData: {}, properties: {}, context: {},
  consent: null, clientIp: null, userAgent: null, emq: 90, ...overrides,
})

test('waits for resolution, drops what is gone, reads consent before the gate, and gates only once', () => {
  const events = new Map([
    ['unresolved', event('unresolved', { profileId: null })],
    ['denied', event('denied')],
    ['fresh', event('fresh')],
    ['low', event('low', { emq: 50 })],
    ['retry', event('retry', { emq: 10 })],
  ])
  const consent = new Map([...events.values()].map((e) => [e.profileId ?? '', { denied: e.eventId === 'denied', granted: false }]))
  const sorted = classifyDeliveries({
    claimed: ['gone', 'unresolved', 'denied', 'fresh', 'low', 'retry'].map((id) => ({ event_id: id, level: id === 'retry' ? 'partial' : null })),
    events,
    consent,
    health: new Map([[null, { events: 10, belowGood: 2, meanEmq: 70, band: 'good', level: 'partial' }]]),
    policy: {},
    consentRequired: new Set(),
  })
  expect(sorted.gone).toEqual(['gone'])
  expect(sorted.unresolved.map((e) => e.eventId)).toEqual(['unresolved'])
  expect(sorted.suppressed).toEqual([{ eventId: 'denied', reason: 'marketing_denied' }])
  expect(sorted.held).toEqual([{ eventId: 'low', level: 'partial', reason: 'emq_below_60' }])
  expect(sorted.send.map((s) => [s.event.eventId, s.level])).toEqual([['fresh', 'partial'], ['retry', 'partial']])
})
