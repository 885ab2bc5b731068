import { isKnown, type ProfileState } from './identity-state'

/** The guard that stopped a merge, as collector/docs/identity-resolution.md names them. */
export type GuardRule = 'G1' | 'G2' | 'G5'

/** How two profiles came to be linked by one event. */
export interface MergeAttempt {
  /** `weak`: only a device_id or anonymous_id links them. */
  carrier: 'strong' | 'weak'
  /** The event came from a browser (source key). */
  browser: boolean
}

/**
 * Decides whether two profiles linked by an event may merge, returning the
 * guard that stops it or `null`:
 * - G1: two profiles holding different external ids never merge;
 * - G2: a browser event never merges two known profiles;
 * - G5: a weak identifier never carries an email, phone or external id onto
 *   a profile that already holds a different one of that type.
 *
 * @example
 * guardMerge(customerA, customerB, { carrier: 'strong', browser: true }) // 'G2'
 */
export function guardMerge(a: ProfileState, b: ProfileState, attempt: MergeAttempt): GuardRule | null {
  if (holdsDifferent(a, b, 'external_id')) return 'G1'
  if (attempt.browser && isKnown(a) && isKnown(b)) return 'G2'
  if (attempt.carrier === 'weak' && ['email', 'phone'].some((type) => holdsDifferent(a, b, type))) return 'G5'
  return null
}

/**
 * G5 for attaching: would giving `profile` these new strong identifiers put
 * a second one of some type on it?
 *
 * @example
 * carriesConflict(profileWithEmail, [{ type: 'email', value: otherHash }]) // true
 */
export function carriesConflict(profile: ProfileState, incoming: ReadonlyArray<{ type: string; value: string }>): boolean {
  return incoming.some((i) => {
    const held = profile.strong.get(i.type)
    return held !== undefined && held.size > 0 && !held.has(i.value)
  })
}

/**
 * The survivor of a merge (collector/docs/identity-resolution.md): the profile holding an external id,
 * else the one seen first, else the smaller id — deterministic, so every
 * collector picks the same one.
 *
 * @example
 * const [winner, loser] = chooseSurvivor(a, b)
 */
export function chooseSurvivor(a: ProfileState, b: ProfileState): [ProfileState, ProfileState] {
  const aExt = (a.strong.get('external_id')?.size ?? 0) > 0
  const bExt = (b.strong.get('external_id')?.size ?? 0) > 0
  if (aExt !== bExt) return aExt ? [a, b] : [b, a]
  const aSeen = a.firstSeenAt ?? Number.POSITIVE_INFINITY
  const bSeen = b.firstSeenAt ?? Number.POSITIVE_INFINITY
  if (aSeen !== bSeen) return aSeen < bSeen ? [a, b] : [b, a]
  return a.id < b.id ? [a, b] : [b, a]
}

function holdsDifferent(a: ProfileState, b: ProfileState, type: string): boolean {
  const left = a.strong.get(type)
  const right = b.strong.get(type)
  if (!left?.size || !right?.size) return false
  for (const value of left) if (!right.has(value)) return true
  return left.size !== right.size
}
