import {
  hashUserData,
  type IdentifierType,
  type NormalizedIdentifier,
  normalizeIdentifier,
  sha256Hex,
} from '@stratum/pixel/identity'
import type { IncomingEvent } from './event-contract'

/** An identifier of an event after normalisation: hashed PII, a quality status. */
export interface EventIdentifier extends NormalizedIdentifier {
  /** May attach the event to a profile but never bridges two (role mailbox). */
  role?: true
}

/** An event ready to be resolved and stored. */
export interface PreparedEvent {
  index: number
  eventId: string
  /** Whether the client sent the id (EMQ counts only a client's). */
  clientEventId: boolean
  eventName: string
  eventTime: Date
  clockCorrected: boolean
  sentAt: Date | undefined
  actionSource: string | undefined
  identifiers: EventIdentifier[]
  userData: Record<string, string>
  properties: Record<string, unknown>
  context: IncomingEvent['context']
  consent: Record<string, boolean> | undefined
  sessionId: string | undefined
  warnings: string[]
}

/** Batch-wide facts every event is prepared with. */
export interface PrepareContext {
  receivedAt: Date
  sentAt: Date | undefined
  /** Milliseconds to add to client times (non-zero when the client clock is off by > 5 min). */
  clockOffsetMs: number
  /** Events before this instant are past retention. */
  oldestAllowed: Date
  defaultCountry?: string
}

/** Why an event is refused, item by item. */
export interface Rejection {
  index: number
  code: string
  message: string
}

const MAX_FUTURE_MS = 24 * 60 * 60 * 1000

/**
 * Turns one validated event into what the collector stores: a server id when
 * the client sent none, the corrected time, identifiers normalised and hashed
 * by the shared identity module (raw email or phone from a backend is hashed
 * here and never kept), soft `user_data` hashed. Rejects an event more than
 * 24 h in the future or older than retention.
 *
 * @example
 * const prepared = prepareEvent(event, 0, { receivedAt: new Date(), clockOffsetMs: 0, oldestAllowed })
 */
export function prepareEvent(event: IncomingEvent, index: number, ctx: PrepareContext): PreparedEvent | Rejection {
  const eventTime = new Date(Date.parse(event.event_time) + ctx.clockOffsetMs)
  if (eventTime.getTime() - ctx.receivedAt.getTime() > MAX_FUTURE_MS) {
    return { index, code: 'event_in_future', message: 'event_time is more than 24 hours in the future' }
  }
  if (eventTime < ctx.oldestAllowed) return tooOld(index, 'the retention window')
  const warnings: string[] = ctx.clockOffsetMs !== 0 ? ['clock_corrected'] : []
  const identifiers = event.identifiers.map((incoming) => {
    const normalized = toStoredIdentifier(incoming.type, incoming.value, ctx.defaultCountry)
    if (normalized.status !== 'valid') warnings.push(`identifier_${normalized.status}:${incoming.type}`)
    // A client may make its own identifier less bridging, never more.
    return incoming.role === true ? { ...normalized, role: true as const } : normalized
  })
  const rawUserData = Object.fromEntries(Object.entries(event.user_data).filter(([, v]) => v !== undefined))
  const userData = hashUserData(rawUserData) as Record<string, string>
  for (const field of Object.keys(rawUserData)) if (!(field in userData)) warnings.push(`user_data_invalid:${field}`)
  return {
    index,
    eventId: (event.event_id ?? crypto.randomUUID()).toLowerCase(),
    clientEventId: event.event_id !== undefined,
    eventName: event.event_name,
    eventTime,
    clockCorrected: ctx.clockOffsetMs !== 0,
    sentAt: ctx.sentAt,
    actionSource: event.action_source,
    identifiers,
    userData,
    properties: event.properties,
    context: event.context,
    consent: event.consent,
    sessionId: event.context.session_id,
    warnings,
  }
}

/** Normalises one identifier; an email or phone that cannot be normalised is still only kept hashed. */
function toStoredIdentifier(type: IdentifierType, raw: string, defaultCountry?: string): EventIdentifier {
  const normalized = normalizeIdentifier(type, raw, { defaultCountry })
  if ((type === 'email' || type === 'phone') && !normalized.hashed) {
    return { ...normalized, value: sha256Hex(raw.trim()), hashed: true }
  }
  return normalized
}

/**
 * The rejection of an event older than a retention window, the collector's
 * or the tenant's own.
 *
 * @example
 * tooOld(3, "the tenant's retention window") // { index: 3, code: 'event_too_old', … }
 */
export function tooOld(index: number, window: string): Rejection {
  return { index, code: 'event_too_old', message: `event_time is older than ${window}` }
}

/** Distinguishes a rejection from a prepared event. */
export function isRejection(value: PreparedEvent | Rejection): value is Rejection {
  return 'code' in value
}

/**
 * A bare event that carries only identifiers: what resolution needs when
 * something other than an ingested event (a consent record, a test) must
 * find or create a person's profile.
 *
 * @example
 * const subject = identityEvent([{ type: 'email', value: hash, hashed: true, status: 'valid' }], new Date(), 'ConsentRecorded')
 */
export function identityEvent(identifiers: EventIdentifier[], eventTime: Date, eventName: string, index = 0): PreparedEvent {
  return {
    index,
    eventId: crypto.randomUUID(),
    clientEventId: false,
    eventName,
    eventTime,
    clockCorrected: false,
    sentAt: undefined,
    actionSource: undefined,
    identifiers,
    userData: {},
    properties: {},
    context: {},
    consent: undefined,
    sessionId: undefined,
    warnings: [],
  }
}
