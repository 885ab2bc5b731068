import { carriesConflict, chooseSurvivor, type GuardRule, guardMerge } from './guard-merge'
import {
  emptyLinks,
  emptyProfile,
  getOrCreate,
  IDENTIFIER_PRIORITY,
  type IdentityState,
  keyOf,
  PER_PROFILE_LIMITS,
  type ProfileState,
  SHARED_THRESHOLDS,
  STRONG_TYPES,
  WEAK_TYPES,
} from './identity-state'
import type { ResolvableEvent, ResolvableIdentifier } from './resolvable-event'

/** What resolving a batch decided; `applyResolution` writes it. */
export interface ResolutionPlan {
  /** Event key → the profile it belongs to (a survivor). */
  profileOf: Map<number, string>
  /** Event key → what resolution has to say about it (`merge_blocked:G1`, `identifier_over_limit:email`). */
  warnings: Map<number, string[]>
  newProfiles: string[]
  newIdentifiers: Array<{ type: string; hash: string; profileId: string; role: boolean; shared: boolean; seenAt: Date }>
  merges: Array<{ winner: string; loser: string; rule: string; eventId: string | null; identifierType: string }>
  blocked: Array<{ eventId: string | null; rule: GuardRule; between: [string, string] }>
  /** Weak identifiers that became shared (G4), as `type\0hash` keys. */
  newlyShared: string[]
  newLinks: Array<{ weakType: string; weakHash: string; strongType: string; strongHash: string }>
  /** Profiles holding a strong identifier after this batch. */
  knownProfiles: Set<string>
}

const byPriority = (a: ResolvableIdentifier, b: ResolvableIdentifier) =>
  IDENTIFIER_PRIORITY.indexOf(a.type) - IDENTIFIER_PRIORITY.indexOf(b.type)

/**
 * Resolves a batch's events to profiles, in order, over state loaded up front
 * (collector/docs/identity-resolution.md): find the owners of each event's usable identifiers, merge them
 * unless a guard (G1, G2, G5) stops it, create a profile when none owns any,
 * attach new identifiers within the per-profile limits (G3), and mark weak
 * identifiers shared (G4). G2 applies to the events sent with browser trust.
 * Pure: the same state and events always give the same plan, and the events
 * are left untouched — what resolution has to say about one is in
 * `plan.warnings`.
 *
 * @example
 * const plan = planResolution(state, events, { newId: () => crypto.randomUUID(), receivedAt: new Date() })
 */
export function planResolution(
  state: IdentityState,
  events: readonly ResolvableEvent[],
  options: { newId: () => string; receivedAt: Date },
): ResolutionPlan {
  const plan: ResolutionPlan = {
    profileOf: new Map(),
    warnings: new Map(),
    newProfiles: [],
    newIdentifiers: [],
    merges: [],
    blocked: [],
    newlyShared: [],
    newLinks: [],
    knownProfiles: new Set(),
  }
  const find = (id: string): ProfileState => {
    let profile = state.profiles.get(id)!
    while (profile.mergedInto) profile = state.profiles.get(profile.mergedInto)!
    return profile
  }
  const warn = (event: ResolvableEvent, warning: string) => getOrCreate(plan.warnings, event.key, () => []).push(warning)
  const ownerOf = (i: ResolvableIdentifier) => {
    const owner = state.owners.get(keyOf(i.type, i.value))
    return owner ? find(owner.profileId) : undefined
  }
  const isShared = (i: ResolvableIdentifier) => state.owners.get(keyOf(i.type, i.value))?.shared === true || plan.newlyShared.includes(keyOf(i.type, i.value))

  const merge = (a: ProfileState, b: ProfileState, event: ResolvableEvent, via: ResolvableIdentifier, carrier: 'strong' | 'weak') => {
    const rule = guardMerge(a, b, { carrier, browser: event.browser })
    if (rule) {
      plan.blocked.push({ eventId: event.eventId, rule, between: [a.id, b.id] })
      warn(event, `merge_blocked:${rule}`)
      return a
    }
    const [winner, loser] = chooseSurvivor(a, b)
    loser.mergedInto = winner.id
    for (const [type, values] of loser.strong) for (const v of values) holdStrong(winner, type, v)
    for (const [type, n] of loser.counts) winner.counts.set(type, (winner.counts.get(type) ?? 0) + n)
    winner.firstSeenAt = minTime(winner.firstSeenAt, loser.firstSeenAt)
    plan.merges.push({
      winner: winner.id,
      loser: loser.id,
      rule: carrier === 'strong' ? 'strong_identifier' : 'weak_identifier',
      eventId: event.eventId,
      identifierType: via.type,
    })
    return winner
  }

  for (const event of events) {
    const usable = event.identifiers.filter((i) => i.status === 'valid').sort(byPriority)
    trackLinks(state, plan, usable)
    const strong = usable.filter((i) => STRONG_TYPES.has(i.type) && !i.role)
    const weak = usable.filter((i) => WEAK_TYPES.has(i.type) && !isShared(i))
    const passive = usable.filter((i) => !strong.includes(i) && !weak.includes(i))

    let target: ProfileState | undefined
    for (const identifier of strong) {
      const owner = ownerOf(identifier)
      if (!owner || owner === target) continue
      target = target ? merge(target, owner, event, identifier, 'strong') : owner
    }
    const unownedStrong = strong.filter((i) => !ownerOf(i))
    for (const identifier of weak) {
      const owner = ownerOf(identifier)
      if (!owner || owner === target) continue
      if (target) {
        target = merge(target, owner, event, identifier, 'weak')
      } else if (carriesConflict(owner, unownedStrong)) {
        // G5: the strong identifier gets its own profile; the weak one stays put.
        plan.blocked.push({ eventId: event.eventId, rule: 'G5', between: [owner.id, owner.id] })
        warn(event, 'merge_blocked:G5')
      } else {
        target = owner
      }
    }
    // Non-bridging identifiers (role mailboxes, shared weak ids) may still say
    // whose event this is, but never carry a new strong identifier anywhere.
    if (!target && unownedStrong.length === 0) target = passive.map(ownerOf).find(Boolean)
    if (!target) {
      target = emptyProfile(options.newId(), true)
      state.profiles.set(target.id, target)
      plan.newProfiles.push(target.id)
    }
    for (const identifier of usable) {
      if (!attach(state, plan, target, identifier, event, options.receivedAt)) warn(event, `identifier_over_limit:${identifier.type}`)
    }
    if (event.eventTime <= options.receivedAt) target.firstSeenAt = minTime(target.firstSeenAt, event.eventTime.getTime())
    plan.profileOf.set(event.key, target.id)
  }

  // Merges later in the batch may have moved earlier events' profiles.
  for (const [index, id] of plan.profileOf) plan.profileOf.set(index, find(id).id)
  for (const identifier of plan.newIdentifiers) identifier.profileId = find(identifier.profileId).id
  for (const profile of state.profiles.values()) {
    if (!profile.mergedInto && [...profile.strong.values()].some((s) => s.size > 0)) plan.knownProfiles.add(profile.id)
  }
  return plan
}

/** Gives an unowned identifier to `target`; false when the profile is at its limit for the type (G3). */
function attach(
  state: IdentityState,
  plan: ResolutionPlan,
  target: ProfileState,
  identifier: ResolvableIdentifier,
  event: ResolvableEvent,
  receivedAt: Date,
): boolean {
  const key = keyOf(identifier.type, identifier.value)
  if (state.owners.has(key)) return true
  const held = target.counts.get(identifier.type) ?? 0
  if (held >= PER_PROFILE_LIMITS[identifier.type]) return false
  const shared = plan.newlyShared.includes(key)
  const seenAt = event.eventTime < receivedAt ? event.eventTime : receivedAt
  state.owners.set(key, { profileId: target.id, shared, role: identifier.role === true, lastSeenAt: seenAt.getTime() })
  target.counts.set(identifier.type, held + 1)
  if (STRONG_TYPES.has(identifier.type)) holdStrong(target, identifier.type, identifier.value)
  plan.newIdentifiers.push({ type: identifier.type, hash: identifier.value, profileId: target.id, role: identifier.role === true, shared, seenAt })
  return true
}

/** G4: records which external ids and emails each weak identifier was seen with. */
function trackLinks(state: IdentityState, plan: ResolutionPlan, usable: ResolvableIdentifier[]) {
  const strong = usable.filter((i) => i.type === 'external_id' || i.type === 'email')
  if (strong.length === 0) return
  for (const weak of usable) {
    if (!WEAK_TYPES.has(weak.type)) continue
    const key = keyOf(weak.type, weak.value)
    const links = getOrCreate(state.links, key, emptyLinks)
    for (const s of strong) {
      const seen = links[s.type as 'email' | 'external_id']
      if (seen.has(s.value)) continue
      seen.add(s.value)
      plan.newLinks.push({ weakType: weak.type, weakHash: weak.value, strongType: s.type, strongHash: s.value })
    }
    const already = state.owners.get(key)?.shared === true || plan.newlyShared.includes(key)
    if (!already && (links.external_id.size >= SHARED_THRESHOLDS.external_id || links.email.size >= SHARED_THRESHOLDS.email)) {
      plan.newlyShared.push(key)
      const owner = state.owners.get(key)
      if (owner) owner.shared = true
    }
  }
}

function holdStrong(profile: ProfileState, type: string, value: string) {
  getOrCreate(profile.strong, type, () => new Set<string>()).add(value)
}

function minTime(a: number | null, b: number | null) {
  if (a === null) return b
  if (b === null) return a
  return Math.min(a, b)
}
