import { describe, expect, test } from 'vitest'
import { resolvableEvent as ev } from '../testing/resolvable-event'
import { emptyProfile, type IdentityState, keyOf } from './identity-state'
import { planResolution } from './plan-resolution'
import type { ResolvableEvent } from './resolvable-event'

const receivedAt = new Date('2026-01-02T00:00:00Z')

/** State with existing profiles: id → identifiers it holds (and optional first-seen). */
function stateWith(profiles: Record<string, { ids: Array<[string, string]>; firstSeen?: string; shared?: string[] }>) {
  const state: IdentityState = { owners: new Map(), profiles: new Map(), links: new Map() }
  for (const [id, spec] of Object.entries(profiles)) {
    const profile = emptyProfile(id, false, spec.firstSeen ? Date.parse(spec.firstSeen) : null)
    state.profiles.set(id, profile)
    for (const [type, value] of spec.ids) {
      state.owners.set(keyOf(type, value), { profileId: id, shared: spec.shared?.includes(value) ?? false, role: false, lastSeenAt: 0 })
      profile.counts.set(type, (profile.counts.get(type) ?? 0) + 1)
      if (['email', 'phone', 'external_id'].includes(type)) {
        if (!profile.strong.has(type)) profile.strong.set(type, new Set())
        profile.strong.get(type)!.add(value)
      }
    }
  }
  return state
}

let counter = 0
const plan = (state: IdentityState, events: ResolvableEvent[], browser = false) =>
  planResolution(
    state,
    events.map((e) => ({ ...e, browser })),
    { newId: () => `new-${++counter}`, receivedAt },
  )

describe('planResolution', () => {
  test('creates one profile for an unknown person and attaches all identifiers', () => {
    const result = plan(stateWith({}), [ev(0, [['email', 'e1'], ['anonymous_id', 'a1']])])
    expect(result.newProfiles).toHaveLength(1)
    expect(result.newIdentifiers.map((i) => i.type).sort()).toEqual(['anonymous_id', 'email'])
    expect(result.profileOf.get(0)).toBe(result.newProfiles[0])
  })

  test('attaches to the single owner and adds new identifiers', () => {
    const result = plan(stateWith({ P: { ids: [['anonymous_id', 'a1']] } }), [ev(0, [['anonymous_id', 'a1'], ['email', 'e1']])])
    expect(result.profileOf.get(0)).toBe('P')
    expect(result.newIdentifiers).toEqual([expect.objectContaining({ type: 'email', hash: 'e1', profileId: 'P' })])
    expect(result.knownProfiles.has('P')).toBe(true)
  })

  test('login stitch: a browser event merges an anonymous profile into the known one', () => {
    const state = stateWith({
      K: { ids: [['email', 'e1']], firstSeen: '2025-06-01T00:00:00Z' },
      A: { ids: [['anonymous_id', 'a1']], firstSeen: '2025-12-01T00:00:00Z' },
    })
    const result = plan(state, [ev(0, [['email', 'e1'], ['anonymous_id', 'a1']])], true)
    expect(result.merges).toEqual([expect.objectContaining({ winner: 'K', loser: 'A', rule: 'weak_identifier', identifierType: 'anonymous_id' })])
    expect(result.profileOf.get(0)).toBe('K')
  })

  test('survivor: earliest first seen wins when neither holds an external id', () => {
    const state = stateWith({
      Late: { ids: [['email', 'e1']], firstSeen: '2025-12-01T00:00:00Z' },
      Early: { ids: [['phone', 'p1']], firstSeen: '2025-01-01T00:00:00Z' },
    })
    const result = plan(state, [ev(0, [['email', 'e1'], ['phone', 'p1']])])
    expect(result.merges[0]).toMatchObject({ winner: 'Early', loser: 'Late', rule: 'strong_identifier' })
    expect(result.profileOf.get(0)).toBe('Early')
  })

  test('survivor: the profile holding an external id wins even if seen later', () => {
    const state = stateWith({
      Old: { ids: [['email', 'e1']], firstSeen: '2024-01-01T00:00:00Z' },
      Crm: { ids: [['external_id', 'x1']], firstSeen: '2025-12-01T00:00:00Z' },
    })
    const result = plan(state, [ev(0, [['external_id', 'x1'], ['email', 'e1']])])
    expect(result.merges[0]).toMatchObject({ winner: 'Crm', loser: 'Old' })
  })

  test('survivor: smallest id breaks a tie', () => {
    const state = stateWith({ b: { ids: [['email', 'e1']] }, a: { ids: [['phone', 'p1']] } })
    expect(plan(state, [ev(0, [['email', 'e1'], ['phone', 'p1']])]).merges[0]).toMatchObject({ winner: 'a', loser: 'b' })
  })

  test('G1: two profiles with different external ids never merge; the event goes to the external id owner', () => {
    const state = stateWith({ X1: { ids: [['external_id', 'x1']] }, X2: { ids: [['external_id', 'x2'], ['email', 'e2']] } })
    const event = ev(0, [['external_id', 'x1'], ['email', 'e2']])
    const result = plan(state, [event])
    expect(result.merges).toEqual([])
    expect(result.blocked).toEqual([expect.objectContaining({ rule: 'G1' })])
    expect(result.profileOf.get(0)).toBe('X1')
    expect(result.warnings.get(event.key)).toContain('merge_blocked:G1')
  })

  test('G2: a browser event never merges two known profiles, a server event may', () => {
    const make = () => stateWith({ E: { ids: [['email', 'e1']] }, P: { ids: [['phone', 'p1']] } })
    const browser = plan(make(), [ev(0, [['email', 'e1'], ['phone', 'p1']])], true)
    expect(browser.merges).toEqual([])
    expect(browser.blocked[0]?.rule).toBe('G2')
    expect(browser.profileOf.get(0)).toBe('E')
    const server = plan(make(), [ev(0, [['email', 'e1'], ['phone', 'p1']])], false)
    expect(server.merges).toHaveLength(1)
  })

  test('G3: an identifier over the per-profile limit stays on the event only', () => {
    const ids: Array<[string, string]> = [1, 2, 3, 4, 5].map((n) => ['email', `e${n}`])
    const event = ev(0, [['email', 'e1'], ['email', 'e6']])
    const result = plan(stateWith({ P: { ids } }), [event])
    expect(result.newIdentifiers).toEqual([])
    expect(result.warnings.get(event.key)).toContain('identifier_over_limit:email')
    expect(result.profileOf.get(0)).toBe('P')
  })

  test('G3: a second external id never lands on a profile', () => {
    const result = plan(stateWith({ P: { ids: [['external_id', 'x1'], ['email', 'e1']] } }), [ev(0, [['email', 'e1'], ['external_id', 'x2']])])
    expect(result.newIdentifiers).toEqual([])
    expect(result.profileOf.get(0)).toBe('P')
  })

  test('G4: an anonymous id seen with 3 emails becomes shared and stops bridging', () => {
    const state = stateWith({})
    const events = [
      ev(0, [['anonymous_id', 'kiosk'], ['email', 'e1']]),
      ev(1, [['anonymous_id', 'kiosk'], ['email', 'e2']]),
      ev(2, [['anonymous_id', 'kiosk'], ['email', 'e3']]),
      ev(3, [['anonymous_id', 'kiosk'], ['email', 'e4']]),
    ]
    const result = plan(state, events)
    expect(result.newlyShared).toEqual([keyOf('anonymous_id', 'kiosk')])
    // e2 is blocked by G5 (kiosk's owner holds e1); e3 and e4 find kiosk shared and never look at it.
    const profiles = new Set(result.profileOf.values())
    expect(profiles.size).toBe(4)
    expect(result.merges).toEqual([])
  })

  test('G4: an anonymous id seen with 2 external ids becomes shared', () => {
    const result = plan(stateWith({}), [
      ev(0, [['anonymous_id', 'family'], ['external_id', 'x1']]),
      ev(1, [['anonymous_id', 'family'], ['external_id', 'x2']]),
    ])
    expect(result.newlyShared).toEqual([keyOf('anonymous_id', 'family')])
    expect(new Set(result.profileOf.values()).size).toBe(2)
  })

  test('G5: a weak id never carries a new email onto a profile holding another email', () => {
    const event = ev(0, [['anonymous_id', 'a1'], ['email', 'e2']])
    const result = plan(stateWith({ Mum: { ids: [['anonymous_id', 'a1'], ['email', 'e1']] } }), [event])
    expect(result.profileOf.get(0)).not.toBe('Mum')
    expect(result.newProfiles).toEqual([result.profileOf.get(0)])
    // The weak identifier stays with its first owner.
    expect(result.newIdentifiers).toEqual([expect.objectContaining({ type: 'email', hash: 'e2' })])
    expect(result.blocked[0]?.rule).toBe('G5')
  })

  test('G5: a weak id never merges two profiles holding different emails, even from a server', () => {
    const state = stateWith({ Mum: { ids: [['anonymous_id', 'a1'], ['email', 'e1']] }, Kid: { ids: [['email', 'e2']] } })
    const result = plan(state, [ev(0, [['anonymous_id', 'a1'], ['email', 'e2']])], false)
    expect(result.merges).toEqual([])
    expect(result.profileOf.get(0)).toBe('Kid')
    expect(result.blocked[0]?.rule).toBe('G5')
  })

  test('role mailboxes attach but never bridge two profiles', () => {
    const state = stateWith({ A: { ids: [['email', 'info']] }, B: { ids: [['anonymous_id', 'a1']] } })
    const result = plan(state, [ev(0, [['email', 'info', { role: true }], ['anonymous_id', 'a1']])])
    expect(result.merges).toEqual([])
    expect(result.profileOf.get(0)).toBe('B')
  })

  test('junk identifiers are never used for matching', () => {
    const state = stateWith({ A: { ids: [['email', 'junk']] } })
    const result = plan(state, [ev(0, [['email', 'junk', { status: 'junk' }]])])
    expect(result.profileOf.get(0)).not.toBe('A')
    expect(result.newIdentifiers).toEqual([])
  })

  test('merges within a batch resolve every event to the final survivor', () => {
    const result = plan(stateWith({}), [
      ev(0, [['anonymous_id', 'a1']]),
      ev(1, [['anonymous_id', 'a2']]),
      ev(2, [['anonymous_id', 'a1'], ['anonymous_id', 'a2'], ['email', 'e1']]),
    ])
    const survivors = new Set(result.profileOf.values())
    expect(survivors.size).toBe(1)
    expect(result.merges).toHaveLength(1)
    expect(result.newIdentifiers.every((i) => survivors.has(i.profileId))).toBe(true)
  })
})
