import { isWithinTimeBounds } from '../db/storable'

/** When a message happened and when its client sent it, as ISO times; or why its time cannot be read. */
export type MessageTime = { eventTime: string; sentAt: string | undefined } | { error: string }

/**
 * Reads a message's times. The event time is `timestamp`, else
 * `originalTimestamp` (RudderStack's name for it), else the time the message
 * was sent, else `receivedAt`. `sentAt` is the message's own, else the
 * batch's; one that cannot be read is ignored. Ingest then corrects the
 * client's clock with it, as for `sent_at` (`collector/docs/limits.md`,
 * "Times"). A time without an offset is UTC; a `timestamp` that is not a
 * date is an error.
 *
 * @example
 * messageTime({ timestamp: '2026-01-13T15:30:00+01:00', sentAt: '2026-01-13T14:31:00Z' }, undefined, new Date())
 * // { eventTime: '2026-01-13T14:30:00.000Z', sentAt: '2026-01-13T14:31:00.000Z' }
 */
export function messageTime(message: Record<string, unknown>, batchSentAt: unknown, receivedAt: Date): MessageTime {
  const sentAt = parseTime(message.sentAt) ?? parseTime(batchSentAt)
  const sent = sentAt !== undefined && isWithinTimeBounds(Date.parse(sentAt)) ? sentAt : undefined
  for (const field of ['timestamp', 'originalTimestamp'] as const) {
    const raw = message[field]
    if (raw === undefined || raw === null) continue
    const time = parseTime(raw)
    return time === undefined ? { error: `${field} must be an ISO 8601 date` } : { eventTime: time, sentAt: sent }
  }
  return { eventTime: sent ?? receivedAt.toISOString(), sentAt: sent }
}

/** An ISO time from a string `Date.parse` reads, an offset-less ISO date-time taken as UTC. */
function parseTime(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined
  const text = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(raw.trim()) ? `${raw.trim().replace(/^(\d{4}-\d{2}-\d{2})$/, '$1T00:00')}Z` : raw
  const ms = Date.parse(text)
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined
}
