import type { EmqResult } from '../emq/types'
import type { EndUser } from './end-user'
import type { PreparedEvent } from './prepare-event'

/**
 * One event as the append statement takes it: every per-event column as
 * text, JSON already serialised. Built before the transaction opens, so the
 * transaction only ships prepared arrays. Identifiers are type + hash +
 * status, never raw.
 */
export interface EventRow {
  index: number
  eventId: string
  eventTime: Date
  eventName: string
  actionSource: string | null
  identifiers: string
  /** The identifiers' distinct types, for the live feed, which shows no value (collector/docs/live-events.md). */
  identifierTypes: readonly string[]
  userData: string
  properties: string
  context: string
  consent: string | null
  clientIp: string | null
  userAgent: string | null
  sessionId: string | null
  emq: number
  emqBreakdown: string
  /** Serialised at insert: the append may still add `browser_copy_replaced`. */
  warnings: readonly string[]
}

/**
 * Turns a prepared, scored event into its row.
 *
 * @example
 * const row = toEventRow(event, emq, endUser)
 */
export function toEventRow(event: PreparedEvent, emq: EmqResult, { clientIp, userAgent }: EndUser): EventRow {
  return {
    index: event.index,
    eventId: event.eventId,
    eventTime: event.eventTime,
    eventName: event.eventName,
    actionSource: event.actionSource ?? null,
    identifiers: JSON.stringify(
      event.identifiers.map((i) => ({ type: i.type, value: i.value, status: i.status, ...(i.role ? { role: true } : {}) })),
    ),
    identifierTypes: [...new Set(event.identifiers.map((i) => i.type))],
    userData: JSON.stringify(event.userData),
    properties: JSON.stringify(event.properties),
    context: JSON.stringify({ ...event.context, ip: undefined, user_agent: userAgent }),
    consent: event.consent ? JSON.stringify(event.consent) : null,
    clientIp: clientIp ?? null,
    userAgent: userAgent ?? null,
    sessionId: event.sessionId ?? null,
    emq: emq.score,
    emqBreakdown: JSON.stringify({ ...emq.breakdown, band: emq.band, automation: emq.automation, flags: emq.flags }),
    warnings: emq.flags.includes('clock_skew') ? [...event.warnings, 'clock_skew'] : event.warnings,
  }
}
