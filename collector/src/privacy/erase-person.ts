import { type IdentifierType, normalizeIdentifier, sha256Hex } from '@stratum/pixel/identity'
import { type RawBuilder, sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema'
import { StratumError } from '../errors'
import { lockPerson, type Person } from './lock-person'
import { type StoredIdentifierRef, suppressIdentifiers } from './suppression'

/** Rows removed (and suppressions added) by one erasure. */
export interface ErasureCounts {
  profiles: number
  events: number
  event_keys: number
  /** Outbox rows of the erased events, pending or not (`collector/docs/trust-engine.md`). */
  deliveries: number
  identifiers: number
  identifier_links: number
  sessions: number
  consents: number
  merges: number
  suppressions_added: number
}

/** The outcome of `POST /erasure`, also kept (without PII) as the audit row. */
export interface ErasureResult {
  erasure_id: string
  request_hash: string
  counts: ErasureCounts
}

/**
 * Erases a person (collector/docs/privacy.md, GDPR art. 17) in one transaction: every profile
 * reachable from the identifier, their events in every partition with their
 * idempotency keys, identifiers, G4 links, sessions, consents, merge log
 * rows and the profiles themselves. Events of other profiles that carry one
 * of the person's own identifiers (stored on the event only, e.g. where a
 * guard stopped a merge) go too. The person's identifiers are then
 * suppressed so later events and consent calls carrying them are dropped —
 * except identifiers known to be shared (G4) or role mailboxes, which would
 * silence other people; the requested identifier is always suppressed.
 * Idempotent: a repeat finds nothing and erases nothing, but is audited
 * like the first, so the audit trail lists every request.
 *
 * @example
 * const result = await erasePerson(trx, tenantId, { type: 'email', value: 'jane@shop.io' }, { requestedBy: 'dpo@shop.io' })
 */
export async function erasePerson(
  trx: Transaction<Database>,
  tenantId: string,
  request: { type: IdentifierType; value: string },
  options: { requestedBy?: string; defaultCountry?: string },
): Promise<ErasureResult> {
  const normalized = normalizeIdentifier(request.type, request.value, { defaultCountry: options.defaultCountry })
  // A junk value (test@test.com, 0000000) is typed by many people and identifies none: erasing
  // and suppressing it would destroy other people's events.
  if (normalized.status !== 'valid') {
    throw new StratumError(400, 'invalid_identifier', `The ${request.type} value cannot identify a person (${normalized.reason ?? 'invalid'})`)
  }
  const requested: StoredIdentifierRef = { type: request.type, value: normalized.value }
  const person = await lockPerson(trx, tenantId, requested)
  const own = [requested, ...person.identifiers.filter((i) => !i.shared && !i.role)]
  const counts: ErasureCounts = {
    ...(await deleteEvents(trx, tenantId, person.profiles, own)),
    ...(await deleteProfileRows(trx, tenantId, person)),
    suppressions_added: await suppressIdentifiers(trx, tenantId, own),
  }
  // Only a hash of the request: the audit must prove the erasure without re-identifying anyone.
  const requestHash = sha256Hex(`${tenantId}:${requested.type}:${requested.value}`)
  const audit = await trx
    .insertInto('erasures')
    .values({ tenant_id: tenantId, requested_by: options.requestedBy ?? null, request_hash: requestHash, counts: JSON.stringify(counts) })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { erasure_id: audit.id, request_hash: requestHash, counts }
}

/**
 * The person's events (any partition; their keys name the profile) and the
 * events of others carrying one of the person's own identifiers, with their
 * idempotency keys and outbox rows (so nothing of theirs is delivered any
 * more), in one statement. Finding the latter reads the tenant's events
 * once: erasures are rare, and a GIN index on `events (identifiers jsonb_path_ops)` turns it
 * into an index lookup where a tenant's history is very large.
 */
async function deleteEvents(trx: Transaction<Database>, tenantId: string, profiles: string[], own: StoredIdentifierRef[]) {
  const carries = own.map((i) => sql`e.identifiers @> ${JSON.stringify([{ type: i.type, value: i.value }])}::jsonb`)
  const { rows } = await sql<{ events: string; event_keys: string; deliveries: string }>`
    WITH gone AS (
      DELETE FROM events AS e
      WHERE e.tenant_id = ${tenantId} AND (${sql.join(carries, sql` OR `)} OR e.event_id IN (
        SELECT k.event_id FROM event_keys AS k WHERE k.tenant_id = ${tenantId} AND k.profile_id = ANY(${profiles}::uuid[])))
      RETURNING e.event_id
    ), keys AS (
      DELETE FROM event_keys AS k USING gone WHERE k.tenant_id = ${tenantId} AND k.event_id = gone.event_id RETURNING 1
    ), outbox AS (
      DELETE FROM deliveries AS d USING gone WHERE d.tenant_id = ${tenantId} AND d.event_id = gone.event_id RETURNING 1
    )
    SELECT (SELECT count(*) FROM gone) AS events, (SELECT count(*) FROM keys) AS event_keys, (SELECT count(*) FROM outbox) AS deliveries
  `.execute(trx)
  return { events: Number(rows[0]!.events), event_keys: Number(rows[0]!.event_keys), deliveries: Number(rows[0]!.deliveries) }
}

/** Everything else that names the person's profiles or identifiers, then the profiles. */
async function deleteProfileRows(trx: Transaction<Database>, tenantId: string, person: Person) {
  const ids = person.profiles
  if (ids.length === 0) return { identifier_links: 0, identifiers: 0, sessions: 0, consents: 0, merges: 0, profiles: 0 }
  const deleted = async (statement: RawBuilder<unknown>) => Number((await statement.execute(trx)).numAffectedRows ?? 0)
  const byProfile = (table: 'identifiers' | 'profile_sessions' | 'consents') =>
    deleted(sql`DELETE FROM ${sql.table(table)} WHERE tenant_id = ${tenantId} AND profile_id = ANY(${ids}::uuid[])`)
  const types = person.identifiers.map((i) => i.type)
  const values = person.identifiers.map((i) => i.value)
  return {
    identifier_links: await deleted(sql`
      DELETE FROM identifier_links AS l USING unnest(${types}::text[], ${values}::text[]) AS w(type, value)
      WHERE l.tenant_id = ${tenantId}
        AND ((l.weak_type = w.type AND l.weak_hash = w.value) OR (l.strong_type = w.type AND l.strong_hash = w.value))
    `),
    identifiers: await byProfile('identifiers'),
    sessions: await byProfile('profile_sessions'),
    consents: await byProfile('consents'),
    merges: await deleted(sql`
      DELETE FROM profile_merges WHERE tenant_id = ${tenantId} AND (winner_id = ANY(${ids}::uuid[]) OR loser_id = ANY(${ids}::uuid[]))
    `),
    profiles: await deleted(sql`DELETE FROM profiles WHERE tenant_id = ${tenantId} AND id = ANY(${ids}::uuid[])`),
  }
}
