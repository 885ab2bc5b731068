import type { Transaction } from 'kysely'
import type { Database, DeliveryStatus } from '../db/schema'

/**
 * Which deliveries an operator acts on: listed event ids, or every one
 * matching a filter (an empty filter: all of them).
 *
 * @example
 * const s: DeliverySelection = { filter: { event_names: ['PageView'], reasons: ['emq_below_60'] } }
 */
export type DeliverySelection =
  | { event_ids: string[] }
  | { filter: { event_names?: string[]; source_ids?: string[]; reasons?: string[] } }

/**
 * A page of one destination's deliveries in a status, by event id.
 *
 * @example
 * const { rows, next } = await listDeliveries(trx, tenantId, destinationId, { status: 'held', limit: 100 })
 */
export async function listDeliveries(
  trx: Transaction<Database>,
  tenantId: string,
  destinationId: string,
  options: { status?: DeliveryStatus; limit: number; after?: string },
) {
  let query = trx
    .selectFrom('deliveries')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('destination_id', '=', destinationId)
    .orderBy('event_id')
    .limit(options.limit + 1)
  if (options.status) query = query.where('status', '=', options.status)
  if (options.after) query = query.where('event_id', '>', options.after)
  const rows = await query.execute()
  const page = rows.slice(0, options.limit)
  return { rows: page, next: rows.length > options.limit ? page.at(-1)!.event_id : null }
}

/**
 * Moves selected deliveries of one destination from status `from` back to
 * pending, due now: a held event an operator releases (it then skips the
 * gate: `level = 'released'`), or a dead letter retried (attempts start
 * over, its level kept) — or to `discarded`. Answers how many moved.
 *
 * @example
 * await moveDeliveries(trx, tenantId, destinationId, { event_ids: [id] }, { from: 'held', to: 'released' }, new Date()) // 1
 */
export async function moveDeliveries(
  trx: Transaction<Database>,
  tenantId: string,
  destinationId: string,
  selection: DeliverySelection,
  move: { from: 'held' | 'dead'; to: 'released' | 'retried' | 'discarded' },
  now: Date,
): Promise<number> {
  const set =
    move.to === 'discarded'
      ? { status: 'discarded' as const, reason: 'discarded by an operator', updated_at: now }
      : {
          status: 'pending' as const,
          reason: null,
          next_attempt_at: now,
          updated_at: now,
          ...(move.to === 'released' ? { level: 'released' } : { attempts: 0 }),
        }
  let query = trx
    .updateTable('deliveries')
    .set(set)
    .where('tenant_id', '=', tenantId)
    .where('destination_id', '=', destinationId)
    .where('status', '=', move.from)
  if ('event_ids' in selection) query = query.where('event_id', 'in', selection.event_ids)
  else {
    const { event_names, source_ids, reasons } = selection.filter
    if (event_names) query = query.where('event_name', 'in', event_names)
    if (reasons) query = query.where('reason', 'in', reasons)
    if (source_ids) {
      const ids = source_ids.filter((s) => s !== 'server')
      query = query.where((eb) =>
        eb.or([...(ids.length > 0 ? [eb('source_id', 'in', ids)] : []), ...(source_ids.includes('server') ? [eb('source_id', 'is', null)] : [])]),
      )
    }
  }
  const result = await query.executeTakeFirst()
  return Number(result.numUpdatedRows)
}
