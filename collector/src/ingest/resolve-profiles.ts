import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema'
import { lockIdentifiers } from './lock-identifiers'
import type { EventIdentifier, PreparedEvent } from './prepare-event'

/** Resolution priority: the identifier that best says who a person is comes first. */
export const IDENTIFIER_PRIORITY = ['external_id', 'email', 'phone', 'device_id', 'anonymous_id'] as const
const STRONG_TYPES = new Set(['external_id', 'email', 'phone'])

/** Where each event of a batch landed. */
export interface Resolution {
  profileOf: Map<number, string>
  /** Profiles that now hold an email, phone or external_id. */
  knownProfiles: Set<string>
}

const keyOf = (i: { type: string; value: string }) => `${i.type}\u0000${i.value}`
const usable = (i: EventIdentifier) => i.status === 'valid'

/**
 * Attaches each event to the profile of its identifiers, creating one when
 * none is known: identifiers are locked, their owners read in one query,
 * events walked in order, then new profiles and identifiers written in one
 * statement each.
 *
 * @example
 * const { profileOf } = await resolveProfiles(trx, tenantId, events, receivedAt)
 */
export async function resolveProfiles(
  trx: Transaction<Database>,
  tenantId: string,
  events: PreparedEvent[],
  receivedAt: Date,
): Promise<Resolution> {
  const all = events.flatMap((e) => e.identifiers.filter(usable))
  await lockIdentifiers(trx, tenantId, all)
  const owners = await loadOwners(trx, tenantId, all)

  const profileOf = new Map<number, string>()
  const knownProfiles = new Set<string>()
  const newProfiles: string[] = []
  const newIdentifiers = new Map<string, { identifier: EventIdentifier; profileId: string; seen: Date }>()
  for (const event of events) {
    const mine = event.identifiers.filter(usable).sort(byPriority)
    let profileId = mine.map((i) => owners.get(keyOf(i))).find(Boolean)
    if (!profileId) {
      profileId = crypto.randomUUID()
      newProfiles.push(profileId)
    }
    for (const identifier of mine) {
      const key = keyOf(identifier)
      if (!owners.has(key)) {
        owners.set(key, profileId)
        newIdentifiers.set(key, { identifier, profileId, seen: event.eventTime })
      }
      if (owners.get(key) === profileId && STRONG_TYPES.has(identifier.type)) knownProfiles.add(profileId)
    }
    profileOf.set(event.index, profileId)
  }

  if (newProfiles.length > 0) {
    await trx
      .insertInto('profiles')
      .values(newProfiles.map((id) => ({ tenant_id: tenantId, id })))
      .execute()
  }
  if (newIdentifiers.size > 0) {
    await trx
      .insertInto('identifiers')
      .values(
        [...newIdentifiers.values()].map(({ identifier, profileId, seen }) => ({
          tenant_id: tenantId,
          type: identifier.type,
          hash: identifier.value,
          profile_id: profileId,
          is_role: identifier.role === true,
          first_seen_at: seen < receivedAt ? seen : receivedAt,
          last_seen_at: seen < receivedAt ? seen : receivedAt,
        })),
      )
      .execute()
  }
  return { profileOf, knownProfiles }
}

/** Reads the owner profile of every identifier in one query. */
async function loadOwners(trx: Transaction<Database>, tenantId: string, identifiers: EventIdentifier[]) {
  const owners = new Map<string, string>()
  if (identifiers.length === 0) return owners
  const { rows } = await sql<{ type: string; hash: string; profile_id: string }>`
    SELECT i.type, i.hash, i.profile_id FROM identifiers AS i
    JOIN unnest(${identifiers.map((i) => i.type)}::text[], ${identifiers.map((i) => i.value)}::text[]) AS wanted(type, hash)
      ON i.tenant_id = ${tenantId} AND i.type = wanted.type AND i.hash = wanted.hash
  `.execute(trx)
  for (const row of rows) owners.set(keyOf({ type: row.type, value: row.hash }), row.profile_id)
  return owners
}

function byPriority(a: EventIdentifier, b: EventIdentifier) {
  return IDENTIFIER_PRIORITY.indexOf(a.type) - IDENTIFIER_PRIORITY.indexOf(b.type)
}
