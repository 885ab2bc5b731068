import type { IdentifierType } from '@stratum/pixel/identity'

/** Strong identifiers say who a person is; weak ones say which browser or device. */
export const STRONG_TYPES: ReadonlySet<string> = new Set(['external_id', 'email', 'phone'])
export const WEAK_TYPES: ReadonlySet<string> = new Set(['device_id', 'anonymous_id'])

/** Resolution priority: the identifier that best says who a person is comes first. */
export const IDENTIFIER_PRIORITY: readonly IdentifierType[] = ['external_id', 'email', 'phone', 'device_id', 'anonymous_id']

/** G3: how many identifiers of each type one profile may hold. */
export const PER_PROFILE_LIMITS: Readonly<Record<IdentifierType, number>> = {
  external_id: 1,
  email: 5,
  phone: 5,
  device_id: 10,
  anonymous_id: 100,
}

/** G4: a weak identifier seen with this many distinct strong ones becomes shared. */
export const SHARED_THRESHOLDS = { external_id: 2, email: 3 } as const

/** The map key of an identifier. */
export const keyOf = (type: string, hash: string) => `${type}\u0000${hash}`

/** The owner of an identifier, as loaded from `identifiers`. */
export interface Ownership {
  profileId: string
  shared: boolean
  role: boolean
  /** Its stored `last_seen_at`, in ms: moved at most once a minute (collector/docs/identity-resolution.md). */
  lastSeenAt: number
}

/** What resolution needs to know about one profile. */
export interface ProfileState {
  id: string
  /** Earliest event time in ms; `null` before the first past-dated event. */
  firstSeenAt: number | null
  /** Strong identifiers held, by type. */
  strong: Map<string, Set<string>>
  /** How many identifiers of each type are held. */
  counts: Map<string, number>
  /** Set once merged away in this batch. */
  mergedInto?: string
  isNew: boolean
}

/** Everything loaded before a batch is resolved. */
export interface IdentityState {
  owners: Map<string, Ownership>
  profiles: Map<string, ProfileState>
  /** G4 bookkeeping: per weak identifier, the external ids and emails seen with it. */
  links: Map<string, { external_id: Set<string>; email: Set<string> }>
}

/** A fresh, empty profile state. */
export function emptyProfile(id: string, isNew: boolean, firstSeenAt: number | null = null): ProfileState {
  return { id, firstSeenAt, strong: new Map(), counts: new Map(), isNew }
}

/** Fresh G4 bookkeeping for one weak identifier. */
export const emptyLinks = () => ({ external_id: new Set<string>(), email: new Set<string>() })

/** Whether a profile holds an email, phone or external id. */
export function isKnown(profile: ProfileState): boolean {
  for (const set of profile.strong.values()) if (set.size > 0) return true
  return false
}

/**
 * The value at `key`, created by `make` when absent.
 *
 * @example
 * getOrCreate(profile.strong, 'email', () => new Set<string>()).add(hash)
 */
export function getOrCreate<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key)
  if (value === undefined) {
    value = make()
    map.set(key, value)
  }
  return value
}
