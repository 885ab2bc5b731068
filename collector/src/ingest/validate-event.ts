import { EventSchema, type IncomingEvent, LIMITS } from './event-contract'
import { checkStructure } from './check-structure'
import type { Rejection } from './prepare-event'

/** Levels below an event: event → properties → 5 levels. */
const EVENT_DEPTH = LIMITS.propertyDepth + 1

/**
 * Checks one event of a batch on its own, so that a bad one is rejected
 * alone: first the iterative walk (depth, keys, strings PostgreSQL cannot
 * store), which must come before anything recursive, since
 * `JSON.stringify` or zod would overflow the stack on an event nested
 * thousands of levels deep; then its size, its identifier count and its
 * schema. The codes are listed in `collector/docs/limits.md`.
 *
 * @example
 * const event = validateEvent(item, 3)
 * if ('code' in event) rejected.push(event) // { index: 3, code: 'invalid_string', message: 'events[3].properties.title holds …' }
 */
export function validateEvent(item: unknown, index: number): IncomingEvent | Rejection {
  const problem = checkStructure(item, EVENT_DEPTH, `events[${index}]`)
  if (problem) return { index, ...problem }
  const bytes = Buffer.byteLength(JSON.stringify(item) ?? '')
  if (bytes > LIMITS.eventBytes) {
    return { index, code: 'event_too_large', message: `The event is ${bytes} bytes; the limit is ${LIMITS.eventBytes}` }
  }
  const identifiers = typeof item === 'object' && item !== null ? (item as { identifiers?: unknown }).identifiers : undefined
  if (Array.isArray(identifiers) && identifiers.length > LIMITS.identifiersPerEvent) {
    return tooManyIdentifiers(index, `The event has ${identifiers.length} identifiers; the limit is ${LIMITS.identifiersPerEvent}`)
  }
  const parsed = EventSchema.safeParse(item)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    return { index, code: 'invalid_event', message: `${issue.path.join('.') || 'event'}: ${issue.message}` }
  }
  return parsed.data
}

/**
 * The rejection of an event over an identifier limit, of the event or of the batch.
 *
 * @example
 * tooManyIdentifiers(7, 'The batch holds more than 2000 distinct identifiers')
 */
export function tooManyIdentifiers(index: number, message: string): Rejection {
  return { index, code: 'too_many_identifiers', message }
}
