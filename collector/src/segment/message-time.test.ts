import { describe, expect, test } from 'vitest'
import { messageTime as timeOf } from './message-time'

const now = new Date('2026-03-01T12:00:00Z')
/** The times of a message whose time can be read. */
const messageTime = (message: Record<string, unknown>, batchSentAt: unknown, receivedAt: Date) =>
  timeOf(message, batchSentAt, receivedAt) as { eventTime: string; sentAt: string | undefined }

describe('messageTime', () => {
  test('timestamp, else originalTimestamp, else the time it was sent, else when it was received', () => {
    expect(messageTime({ timestamp: '2026-03-01T11:00:00+01:00', originalTimestamp: '2020-01-01T00:00:00Z' }, undefined, now)).toEqual({
      eventTime: '2026-03-01T10:00:00.000Z',
      sentAt: undefined,
    })
    expect(messageTime({ originalTimestamp: '2026-03-01T11:59:00Z' }, undefined, now).eventTime).toBe('2026-03-01T11:59:00.000Z')
    expect(messageTime({}, '2026-03-01T11:58:00Z', now)).toEqual({ eventTime: '2026-03-01T11:58:00.000Z', sentAt: '2026-03-01T11:58:00.000Z' })
    expect(messageTime({}, undefined, now).eventTime).toBe('2026-03-01T12:00:00.000Z')
  })

  test("the message's own sentAt over the batch's; one that cannot be read or lies outside 1970-2099 is ignored", () => {
    expect(messageTime({ sentAt: '2026-03-01T11:00:00Z' }, '2026-03-01T10:00:00Z', now).sentAt).toBe('2026-03-01T11:00:00.000Z')
    expect(messageTime({ sentAt: 'soon' }, '2026-03-01T10:00:00Z', now).sentAt).toBe('2026-03-01T10:00:00.000Z')
    expect(messageTime({ sentAt: '2150-01-01T00:00:00Z' }, undefined, now).sentAt).toBeUndefined()
  })

  test('a time without an offset is UTC; a timestamp that is not a date is an error', () => {
    expect(messageTime({ timestamp: '2026-03-01T09:30:00' }, undefined, now).eventTime).toBe('2026-03-01T09:30:00.000Z')
    expect(messageTime({ timestamp: '2026-03-01' }, undefined, now).eventTime).toBe('2026-03-01T00:00:00.000Z')
    expect(timeOf({ timestamp: 'last tuesday' }, undefined, now)).toEqual({ error: 'timestamp must be an ISO 8601 date' })
    expect(timeOf({ originalTimestamp: 1700000000000 }, undefined, now)).toEqual({ error: 'originalTimestamp must be an ISO 8601 date' })
  })
})
