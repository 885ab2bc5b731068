import { type IdentifierType, normalizeIdentifier } from '@stratum/pixel/identity'
import { ApiError, api } from './api'

/** What the "Identifier" box is read as; `auto` guesses from the value's shape. */
export type LookupKind = 'auto' | 'profile_id' | IdentifierType

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const PHONE = /^\+?[\d\s().-]{7,}$/

/**
 * The kinds to try, in order, for a value: an email, a phone, a profile id
 * (then an anonymous id, which may look the same), else an external id then
 * an anonymous id.
 *
 * @example
 * lookupOrder('auto', 'jane@shop.example') // ['email']
 */
export function lookupOrder(kind: LookupKind, value: string): Exclude<LookupKind, 'auto'>[] {
  if (kind !== 'auto') return [kind]
  if (value.includes('@')) return ['email']
  if (UUID.test(value)) return ['profile_id', 'anonymous_id', 'external_id']
  if (PHONE.test(value)) return ['phone']
  return ['external_id', 'anonymous_id']
}

/**
 * Finds the profile for what was typed and returns its id, or `null`. A raw
 * email or phone is normalised and hashed here, in the browser, with the
 * pixel's own module (`@stratum/pixel/identity`): only the SHA-256 hash is
 * sent, never the raw value (collector/docs/console.md, "Security").
 *
 * @example
 * const id = await findProfile('auto', 'Jane@Shop.example')
 */
export async function findProfile(kind: LookupKind, raw: string): Promise<string | null> {
  const value = raw.trim()
  for (const type of lookupOrder(kind, value)) {
    try {
      if (type === 'profile_id') return (await api<{ id: string }>(`/profiles/${encodeURIComponent(value)}`)).id
      const normalized = normalizeIdentifier(type, value)
      if (normalized.status === 'invalid') {
        throw new Error(
          type === 'phone' ? 'That phone number is not valid: include the country code, e.g. +44 20 7946 0958.' : `That ${type} is not valid.`,
        )
      }
      const query = new URLSearchParams({ identifier_type: type, identifier_value: normalized.value })
      return (await api<{ id: string }>(`/profiles?${query}`)).id
    } catch (error) {
      // A miss (404) or a value that is not of this kind (400) moves on to the next kind.
      if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 400)) throw error
    }
  }
  return null
}
