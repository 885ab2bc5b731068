import type { Transaction } from 'kysely'
import type { Database } from '../db/schema'
import { mergedInto, survivorOf } from '../profiles/load-profile'
import { lockTenant } from '../identity/lock-identifiers'
import type { StoredIdentifierRef } from './suppression'

/** A person as erasure sees it: every profile reachable from one identifier, and what they hold. */
export interface Person {
  /** The surviving profile and every profile merged into it; empty when nobody owns the identifier. */
  profiles: string[]
  identifiers: Array<StoredIdentifierRef & { shared: boolean; role: boolean }>
}

/**
 * Finds the person an identifier leads to — its owner's survivor and every
 * profile merged into it — with the tenant locked the way identity resolution
 * locks a large batch (`lockTenant`). Locked, the set cannot change: any
 * ingest or consent that would add to it or merge it must first take the
 * tenant's lock. The whole tenant, because erasure only learns how many
 * identifiers a person holds by reading them, and taking more locks after
 * reading could deadlock; erasures are rare and short
 * (collector/docs/identity-resolution.md, "Locking").
 *
 * @example
 * const person = await lockPerson(trx, tenantId, { type: 'email', value: hash })
 */
export async function lockPerson(trx: Transaction<Database>, tenantId: string, requested: StoredIdentifierRef): Promise<Person> {
  await lockTenant(trx, tenantId)
  return readPerson(trx, tenantId, requested)
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
