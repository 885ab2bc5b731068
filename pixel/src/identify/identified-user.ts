import type { Identifier, UserData } from '../types'

/**
 * What `identify()` learned about the visitor, hashed. Persisted and added to every later event.
 *
 * @example
 * const user: IdentifiedUser = { identifiers: [{ type: 'email', value: '62a14e…' }], user_data: {} }
 */
export interface IdentifiedUser {
  identifiers: Identifier[]
  user_data: UserData
}

/**
 * Adds what a new `identify()` call learned to what was known: an identifier
 * replaces the previous one of its type, user-data fields are merged.
 *
 * @example
 * mergeUsers(hashTraits({ email }), hashTraits({ phone })) // both identifiers
 */
export function mergeUsers(known: IdentifiedUser, learned: IdentifiedUser): IdentifiedUser {
  const types = new Set(learned.identifiers.map((id) => id.type))
  return {
    identifiers: [...known.identifiers.filter((id) => !types.has(id.type)), ...learned.identifiers],
    user_data: { ...known.user_data, ...learned.user_data },
  }
}
