import { LIMITS } from '../ingest/event-contract'
import { checkStructure } from '../ingest/check-structure'
import type { ActionSource } from './action-source'
import { commerceProperties } from './commerce-properties'
import { trackName } from './event-name'
import { type Fields, isFields } from './fields'
import { mapContext } from './map-context'
import { eventIdOfMessage } from './message-id'
import { identifiersOf, idOf, missingOf } from './message-ids'
import { messageTime } from './message-time'
import { groupTraits, personTraits } from './person-traits'

/** The six calls of Segment's spec. */
export const SEGMENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const
export type SegmentType = (typeof SEGMENT_TYPES)[number]

/** A message mapped to a Stratum event, with the `sent_at` of the batch it must be ingested in. */
export interface MappedMessage {
  event: Fields
  sentAt: string | undefined
}

/** Why a message cannot be mapped: a code of `collector/docs/limits.md` and a message naming the path. */
export interface Unmappable {
  code: string
  message: string
}

/** What a message is mapped with: the request's facts, and where its problems are reported. */
export interface MapOptions {
  /** The call's type when the route says it (`/v1/track`); else the message's `type`. */
  type?: SegmentType
  /** The batch's `sentAt`, for messages without their own. */
  batchSentAt?: unknown
  receivedAt: Date
  /** The `action_source` when the message does not say: `website` for a public key, `server` for a secret one. */
  fallbackSource: ActionSource
  /** The message's path in error messages: `batch[3]`, or `message`. */
  path: string
}

/** Fields read by name; any other top-level field is kept under `context.segment`. */
const READ = new Set([
  'type', 'userId', 'anonymousId', 'previousId', 'groupId', 'event', 'name', 'category', 'properties', 'traits', 'context',
  'messageId', 'timestamp', 'originalTimestamp', 'channel', 'integrations',
  // Transport, never stored: the credential, the client's clocks (read above), Segment's own bookkeeping.
  'writeKey', 'sentAt', 'receivedAt', 'version', '_metadata',
])

const PAGE_FIELDS = ['url', 'path', 'referrer', 'search', 'title']

/**
 * Maps one Segment message to a Stratum event, which `ingestBatch` then
 * validates, scores and resolves like any other (the table:
 * `collector/docs/segment.md`). Checks first what must hold before anything
 * recursive runs (nesting, keys, strings), then the 32 KB limit, the call's
 * type and ids. Personal traits leave as identifiers and `user_data`, which
 * ingest hashes; nothing else about a person is kept raw.
 *
 * @example
 * mapMessage({ type: 'track', event: 'Order Completed', userId: 'u1', properties: { revenue: 25 } }, options)
 * // { event: { event_name: 'Purchase', identifiers: [{ type: 'external_id', value: 'u1' }], properties: { revenue: 25, value: 25, currency: 'USD' }, … }, sentAt: undefined }
 */
export function mapMessage(message: unknown, options: MapOptions): MappedMessage | Unmappable {
  if (!isFields(message)) return invalid(`${options.path} must be a JSON object`)
  const problem = checkStructure(message, LIMITS.propertyDepth + 1, options.path)
  if (problem) return problem
  const bytes = Buffer.byteLength(JSON.stringify(message))
  if (bytes > LIMITS.eventBytes) {
    return { code: 'event_too_large', message: `${options.path} is ${bytes} bytes; the limit is 32 KB per call` }
  }
  const type = options.type ?? message.type
  if (!SEGMENT_TYPES.includes(type as SegmentType)) return invalid(`${options.path}.type must be one of ${SEGMENT_TYPES.join(', ')}`)
  const missing = missingOf(type as SegmentType, message)
  if (missing) return invalid(`${options.path}: ${missing}`)
  for (const field of ['properties', 'traits', 'context'] as const) {
    if (message[field] !== undefined && message[field] !== null && !isFields(message[field])) {
      return invalid(`${options.path}.${field} must be an object`)
    }
  }
  const time = messageTime(message, options.batchSentAt, options.receivedAt)
  if ('error' in time) return invalid(`${options.path}.${time.error}`)
  return { event: toEvent(type as SegmentType, message, time.eventTime, options), sentAt: time.sentAt }
}

function toEvent(type: SegmentType, message: Fields, eventTime: string, options: MapOptions): Fields {
  const properties = objectOr(message.properties)
  const segmentContext = objectOr(message.context)
  const ownTraits = objectOr(message.traits)
  // A person's traits: an identify's own over its context's; a group's own are the group's; any other call's
  // context traits, over top-level ones some clients send.
  const contextTraits = objectOr(segmentContext.traits)
  const person = personTraits(
    type === 'identify' ? { ...contextTraits, ...ownTraits } : type === 'group' ? contextTraits : { ...ownTraits, ...contextTraits },
  )
  const group = type === 'group' ? groupTraits(ownTraits) : undefined
  const page = type === 'page' ? Object.fromEntries(PAGE_FIELDS.filter((f) => properties[f] !== undefined).map((f) => [f, properties[f]])) : undefined
  const mapped = mapContext(segmentContext, { page, eventTimeMs: Date.parse(eventTime), channel: message.channel, fallback: options.fallbackSource })
  const named = nameOf(type, message)
  const context: Fields = { ...mapped.context }
  if (type !== 'identify' && Object.keys(person.kept).length > 0) context.traits = person.kept
  const dropped = [...person.dropped.map((p) => `${type === 'identify' ? 'traits' : 'context.traits'}.${p}`), ...(group?.dropped ?? []).map((p) => `traits.${p}`)]
  context.segment = {
    ...Object.fromEntries(Object.entries(message).filter(([field]) => !READ.has(field))),
    type,
    ...(type === 'track' ? { event: message.event } : {}),
    ...(idOf(message.messageId) !== undefined ? { message_id: idOf(message.messageId) } : {}),
    ...(message.channel !== undefined ? { channel: message.channel } : {}),
    ...(message.integrations !== undefined ? { integrations: message.integrations } : {}),
    ...(dropped.length > 0 ? { dropped_traits: dropped } : {}),
    ...(Object.keys(mapped.displaced).length > 0 ? { context: mapped.displaced } : {}),
  }
  const messageId = idOf(message.messageId)
  return {
    ...(messageId !== undefined ? { event_id: eventIdOfMessage(messageId) } : {}),
    event_name: named,
    event_time: eventTime,
    action_source: mapped.actionSource,
    identifiers: identifiersOf(type, message, person),
    user_data: person.userData,
    properties: propertiesOf(type, named, message, properties, person.kept, group?.kept),
    context,
    ...(mapped.consent ? { consent: mapped.consent } : {}),
  }
}

function nameOf(type: SegmentType, message: Fields): string {
  if (type === 'track') return trackName(message.event as string).name
  return { identify: 'Identify', page: 'PageView', screen: 'ScreenView', group: 'Group', alias: 'Alias' }[type]
}

function propertiesOf(type: SegmentType, name: string, message: Fields, properties: Fields, personKept: Fields, groupKept?: Fields): Fields {
  switch (type) {
    case 'track':
      return commerceProperties(name, properties)
    case 'page':
    case 'screen':
      return { ...properties, ...named(message, properties, 'name'), ...named(message, properties, 'category') }
    case 'identify':
      return { ...properties, ...personKept }
    case 'group':
      return { ...properties, group_id: idOf(message.groupId), traits: groupKept }
    case 'alias':
      return properties
  }
}

/** A page's `name` or `category` from the call, unless its properties already hold one. */
function named(message: Fields, properties: Fields, field: 'name' | 'category'): Fields {
  return typeof message[field] === 'string' && properties[field] === undefined ? { [field]: message[field] } : {}
}

const objectOr = (value: unknown): Fields => (isFields(value) ? value : {})
const invalid = (message: string): Unmappable => ({ code: 'invalid_message', message })
