import type { Fields } from './fields'
import type { PersonTraits } from './person-traits'

/** An identifier as a Stratum event carries it (raw email and phone are hashed by ingest). */
export interface RawIdentifier {
  type: 'external_id' | 'anonymous_id' | 'email' | 'phone'
  value: string
}

/**
 * A Segment id as a string: Segment's clients send strings, some older ones
 * numbers. Empty, missing or any other type is `undefined`.
 *
 * @example
 * idOf(42) // '42'
 * idOf('') // undefined
 */
export function idOf(raw: unknown): string | undefined {
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw)
  return typeof raw === 'string' && raw.trim() !== '' ? raw : undefined
}

/**
 * The identifiers of a message: `userId` → `external_id`, `anonymousId` →
 * `anonymous_id`, the traits' email and phone, and for an `alias` its
 * `previousId` as an `anonymous_id`, the id a browser had before it logged
 * in, so that resolution links the two under its guards
 * (`collector/docs/identity-resolution.md`). Resolution, not this mapping,
 * decides whether anything merges.
 *
 * @example
 * identifiersOf('alias', { userId: 'u1', previousId: 'a1' }, traits)
 * // [{ type: 'external_id', value: 'u1' }, { type: 'anonymous_id', value: 'a1' }]
 */
export function identifiersOf(type: string, message: Fields, traits: PersonTraits): RawIdentifier[] {
  const identifiers: RawIdentifier[] = []
  const add = (kind: RawIdentifier['type'], value: string | undefined) => {
    if (value !== undefined && !identifiers.some((i) => i.type === kind && i.value === value)) identifiers.push({ type: kind, value })
  }
  add('external_id', idOf(message.userId))
  add('anonymous_id', idOf(message.anonymousId))
  const previous = idOf(message.previousId)
  if (type === 'alias' && previous !== idOf(message.userId)) add('anonymous_id', previous)
  for (const identifier of traits.identifiers) add(identifier.type, identifier.value)
  return identifiers
}

/**
 * What a call of `type` lacks to be mapped, in Segment's words, or `null`.
 *
 * @example
 * missingOf('track', { anonymousId: 'a1' }) // 'event is required for a track call'
 */
export function missingOf(type: string, message: Fields): string | null {
  if (type === 'alias') {
    if (idOf(message.userId) === undefined) return 'userId is required for an alias call'
    if (idOf(message.previousId) === undefined) return 'previousId is required for an alias call'
    return null
  }
  if (idOf(message.userId) === undefined && idOf(message.anonymousId) === undefined) return 'userId or anonymousId is required'
  if (type === 'track' && (typeof message.event !== 'string' || message.event.trim() === '')) return 'event is required for a track call'
  if (type === 'group' && idOf(message.groupId) === undefined) return 'groupId is required for a group call'
  return null
}
