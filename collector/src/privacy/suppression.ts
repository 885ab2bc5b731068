import { sha256Hex } from '@stratum/pixel/identity'
import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema'

/** An identifier as the collector keeps it: type, and the hash (email, phone) or trimmed value (other types). */
export interface StoredIdentifierRef {
  type: string
  value: string
}

/** What the suppression check needs of an event: the caller's key for it and its identifiers. */
export interface SuppressionCandidate {
  key: number
  identifiers: readonly StoredIdentifierRef[]
}

/**
 * The key an identifier is suppressed under: SHA-256 of its type and stored
 * form.
 * Device and anonymous ids and external ids are stored in clear in
 * `identifiers`; hashing every type once more means the suppression list,
 * which outlives the erasure, holds nothing that could be read back or
 * joined to another system — it can only answer "is this one suppressed?"
 * for someone who already has the identifier.
 *
 * @example
 * suppressionHash({ type: 'anonymous_id', value: 'anon_1' }) // '5f0c…' (64 hex)
 */
export function suppressionHash(identifier: StoredIdentifierRef): string {
  return sha256Hex(`${identifier.type}:${identifier.value}`)
}

/**
 * Set-wise suppression check for a batch: one indexed query, whatever the
 * batch size. Returns the keys of the events that carry at least one
 * suppressed identifier (of any status); ingest drops them and counts them
 * as `suppressed`. Run it while holding the identifiers' resolution locks,
 * so that an erasure committing meanwhile cannot be missed.
 *
 * @example
 * const dropped = await findSuppressedEvents(trx, tenantId, pendingEvents) // Set { 3, 7 }
 */
export async function findSuppressedEvents(
  trx: Transaction<Database>,
  tenantId: string,
  events: readonly SuppressionCandidate[],
): Promise<Set<number>> {
  // Each distinct identifier is hashed once, however many events carry it. The hash covers
  // the type, so it alone names a suppressed identifier.
  const hashOf = new Map<string, { type: string; hash: string }>()
  const stored = (i: StoredIdentifierRef) => `${i.type}:${i.value}`
  for (const event of events) {
    for (const i of event.identifiers) if (!hashOf.has(stored(i))) hashOf.set(stored(i), { type: i.type, hash: suppressionHash(i) })
  }
  if (hashOf.size === 0) return new Set()
  const list = [...hashOf.values()]
  // `= ANY` on both key columns: index probes, whatever the size of the list.
  const { rows } = await sql<{ hash: string }>`
    SELECT hash FROM suppressions WHERE tenant_id = ${tenantId}
      AND type = ANY(${[...new Set(list.map((w) => w.type))]}::text[]) AND hash = ANY(${list.map((w) => w.hash)}::text[])
  `.execute(trx)
  const suppressed = new Set(rows.map((r) => r.hash))
  const carriesSuppressed = (event: SuppressionCandidate) => event.identifiers.some((i) => suppressed.has(hashOf.get(stored(i))!.hash))
  return new Set(events.filter(carriesSuppressed).map((e) => e.key))
}

/**
 * Puts identifiers on the tenant's suppression list (idempotent). Returns how
 * many were not on it yet.
 *
 * @example
 * await suppressIdentifiers(trx, tenantId, [{ type: 'email', value: emailHash }]) // 1
 */
export async function suppressIdentifiers(
  trx: Transaction<Database>,
  tenantId: string,
  identifiers: readonly StoredIdentifierRef[],
): Promise<number> {
  if (identifiers.length === 0) return 0
  const unique = new Map(identifiers.map((i) => [`${i.type}:${i.value}`, i]))
  const rows = [...unique.values()].map((i) => ({ tenant_id: tenantId, type: i.type, hash: suppressionHash(i) }))
  const added = await trx
    .insertInto('suppressions')
    .values(rows)
    .onConflict((oc) => oc.doNothing())
    .returning('hash')
    .execute()
  return added.length
}
