import type { Selectable, Transaction } from 'kysely'
import type { Database, DestinationsTable, DestinationType } from '../db/schema'
import type { DestinationPolicy } from './policy'
import type { SecretBox } from './secret-box'

/** A destination row as stored: its secret still sealed. */
export type Destination = Selectable<DestinationsTable>

/**
 * The config field of each type that is a secret: kept sealed in `secret`,
 * never in `config`, never returned.
 *
 * @example
 * SECRET_FIELD.meta_capi // 'access_token'
 */
export const SECRET_FIELD = { meta_capi: 'access_token', webhook: 'secret' } as const satisfies Record<DestinationType, string>

/** A destination as an admin describes it, its secret in clear. */
export interface DestinationInput {
  name: string
  type: DestinationType
  enabled: boolean
  /** Every config field, the secret included. */
  config: Record<string, string>
  eventNames: string[] | null
  sourceIds: string[] | null
  policy: DestinationPolicy
  /** Who changes the policy (the JWT `sub`), recorded when it sets an override. */
  changedBy?: string
}

/**
 * The columns of a destination: the secret sealed apart from the config, the
 * override's author and time set when the policy turns an override on (and
 * kept while it stays on, cleared when it goes).
 */
function columnsOf(input: DestinationInput, box: SecretBox, previous: Destination | undefined, now: Date) {
  const { [SECRET_FIELD[input.type]]: secret, ...config } = input.config
  const wasOverride = previous?.policy.override === true
  const override = input.policy.override === true
  return {
    name: input.name,
    type: input.type,
    enabled: input.enabled,
    config: JSON.stringify(config),
    secret: box.seal(secret ?? ''),
    event_names: input.eventNames,
    source_ids: input.sourceIds,
    policy: JSON.stringify(input.policy),
    override_by: override ? (wasOverride ? previous!.override_by : (input.changedBy ?? null)) : null,
    override_at: override ? (wasOverride ? previous!.override_at : now) : null,
    updated_at: now,
  }
}

/**
 * Stores a new destination.
 *
 * @example
 * const d = await insertDestination(trx, tenantId, input, box, new Date())
 */
export function insertDestination(trx: Transaction<Database>, tenantId: string, input: DestinationInput, box: SecretBox, now: Date) {
  return trx
    .insertInto('destinations')
    .values({ tenant_id: tenantId, ...columnsOf(input, box, undefined, now), created_at: now })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/**
 * Replaces a destination's settings; undefined when the tenant has no such destination.
 *
 * @example
 * await updateDestination(trx, tenantId, id, { ...input, enabled: false }, previous, box, new Date())
 */
export function updateDestination(
  trx: Transaction<Database>,
  tenantId: string,
  previous: Destination,
  input: DestinationInput,
  box: SecretBox,
  now: Date,
) {
  return trx
    .updateTable('destinations')
    .set(columnsOf(input, box, previous, now))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', previous.id)
    .returningAll()
    .executeTakeFirst()
}

/**
 * One destination, locked for an update when `forUpdate`.
 *
 * @example
 * const d = await findDestination(trx, tenantId, id)
 */
export function findDestination(trx: Transaction<Database>, tenantId: string, id: string, forUpdate = false) {
  const query = trx.selectFrom('destinations').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id)
  return (forUpdate ? query.forUpdate() : query).executeTakeFirst()
}

/**
 * The tenant's destinations, oldest first.
 *
 * @example
 * const all = await listDestinations(trx, tenantId)
 */
export function listDestinations(trx: Transaction<Database>, tenantId: string) {
  return trx.selectFrom('destinations').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').execute()
}

/**
 * Deletes a destination and, with it, its outbox rows. True when it existed.
 *
 * @example
 * await deleteDestination(trx, tenantId, id) // true
 */
export async function deleteDestination(trx: Transaction<Database>, tenantId: string, id: string): Promise<boolean> {
  const result = await trx.deleteFrom('destinations').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

/**
 * A destination's full config, its secret opened: what a sender needs.
 *
 * @example
 * const { access_token } = openConfig(destination, box)
 */
export function openConfig(destination: Destination, box: SecretBox): Record<string, string> {
  return { ...destination.config, [SECRET_FIELD[destination.type]]: box.open(destination.secret) }
}
