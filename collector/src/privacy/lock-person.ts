import type { Transaction } from 'kysely'
import type { Database } from '../db/schema'
import { StratumError } from '../errors'
import { mergedInto, survivorOf } from '../profiles/load-profile'
import { lockIdentifiers } from '../identity/lock-identifiers'
import type { StoredIdentifierRef } from './suppression'

/** A person as erasure sees it: every profile reachable from one identifier, and what they hold. */
export interface Person {
  /** The surviving profile and every profile merged into it; empty when nobody owns the identifier. */
  profiles: string[]
  identifiers: Array<StoredIdentifierRef & { shared: boolean; role: boolean }>
}

/** Each round locks what a concurrent merge added; more than a few means heavy contention. */
const MAX_ROUNDS = 5

/**
 * Finds the person an identifier leads to — its owner's survivor and every
 * profile merged into it — and locks all of their identifiers the way
 * identity resolution does. Locked, the set cannot change: any ingest that
 * would add to it or merge it must first lock one of those identifiers.
 * A merge that lands between reading and locking is caught by reading again.
 *
 * @example
 * const person = await lockPerson(trx, tenantId, { type: 'email', value: hash })
 */
export async function lockPerson(trx: Transaction<Database>, tenantId: string, requested: StoredIdentifierRef): Promise<Person> {
  const locked = new Set<string>()
  let pending: StoredIdentifierRef[] = [requested]
  for (let round = 0; round < MAX_ROUNDS; round++) {
    await lockIdentifiers(trx, tenantId, pending)
    for (const i of pending) locked.add(`${i.type}:${i.value}`)
    const person = await readPerson(trx, tenantId, requested)
    pending = person.identifiers.filter((i) => !locked.has(`${i.type}:${i.value}`))
    if (pending.length === 0) return person
  }
  throw new StratumError(503, 'erasure_contended', 'The profiles are changing too fast to erase; retry', [], { 'Retry-After': '1' })
}

async function readPerson(trx: Transaction<Database>, tenantId: string, requested: StoredIdentifierRef): Promise<Person> {
  const owner = await trx
    .selectFrom('identifiers')
    .select('profile_id')
    .where('tenant_id', '=', tenantId)
    .where('type', '=', requested.type)
    .where('hash', '=', requested.value)
    .executeTakeFirst()
  const survivor = owner && (await survivorOf(trx, tenantId, owner.profile_id))
  if (!survivor) return { profiles: [], identifiers: [] }
  const profiles = await mergedInto(trx, tenantId, survivor)
  const held = await trx
    .selectFrom('identifiers')
    .select(['type', 'hash', 'is_shared', 'is_role'])
    .where('tenant_id', '=', tenantId)
    .where('profile_id', 'in', profiles)
    .execute()
  return { profiles, identifiers: held.map((i) => ({ type: i.type, value: i.hash, shared: i.is_shared, role: i.is_role })) }
}
