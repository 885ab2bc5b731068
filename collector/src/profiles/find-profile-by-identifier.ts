import { type IdentifierType, normalizeIdentifier } from '@stratum/pixel/identity'
import type { Transaction } from 'kysely'
import type { Database } from '../db/schema'
import { StratumError } from '../errors'

/**
 * Finds the profile that owns an identifier. A raw email or phone is
 * normalised and hashed first, exactly as at ingest; a 64-hex value is taken
 * as already hashed. Returns the owner id (which may have been merged away:
 * the caller follows it to the survivor) or null.
 *
 * @example
 * const id = await findProfileByIdentifier(trx, tenantId, 'email', 'Jane@Shop.example')
 */
export async function findProfileByIdentifier(
  trx: Transaction<Database>,
  tenantId: string,
  type: IdentifierType,
  value: string,
  defaultCountry?: string,
): Promise<string | null> {
  const normalized = normalizeIdentifier(type, value, { defaultCountry })
  if (normalized.status === 'invalid') {
    throw new StratumError(400, 'invalid_identifier', `The ${type} value is not valid (${normalized.reason ?? 'invalid'})`)
  }
  const row = await trx
    .selectFrom('identifiers')
    .select('profile_id')
    .where('tenant_id', '=', tenantId)
    .where('type', '=', type)
    .where('hash', '=', normalized.value)
    .executeTakeFirst()
  return row?.profile_id ?? null
}
