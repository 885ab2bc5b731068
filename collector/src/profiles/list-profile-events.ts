import type { Transaction } from 'kysely'
import type { Database, Trust } from '../db/schema'
import { isWithinTimeBounds } from '../db/storable'
import { StratumError } from '../errors'
import { mergedInto } from './load-profile'

/** One page of a profile's journey. */
export interface JourneyPage {
  data: Array<{
    event_id: string
    event_name: string
    event_time: string
    received_at: string
    profile_id: string
    source_id: string | null
    action_source: string | null
    /** `browser` for an event sent with a public source key, `server` with a JWT or a secret key; `null` once retention took its id's claim. */
    trust: Trust | null
    identifiers: unknown
    user_data: unknown
    properties: unknown
    context: unknown
    emq: number | null
    emq_breakdown: unknown
    warnings: unknown
  }>
  next_cursor: string | null
}

/**
 * A profile's journey — its own events and those of every profile merged
 * into it — newest first, keyset-paginated on `(event_time, event_id)` so a
 * page costs the same however deep it is.
 *
 * @example
 * const page = await listProfileEvents(trx, tenantId, survivorId, { limit: 50 })
 * const next = await listProfileEvents(trx, tenantId, survivorId, { limit: 50, cursor: page.next_cursor })
 */
export async function listProfileEvents(
  trx: Transaction<Database>,
  tenantId: string,
  survivor: string,
  options: { limit: number; cursor?: string | null },
): Promise<JourneyPage> {
  const family = await mergedInto(trx, tenantId, survivor)
  const after = options.cursor ? decodeCursor(options.cursor) : null
  // The id's claim says who sent the event (collector/docs/trust-boundary.md).
  let query = trx
    .selectFrom('events as e')
    .leftJoin('event_keys as k', (join) => join.onRef('k.tenant_id', '=', 'e.tenant_id').onRef('k.event_id', '=', 'e.event_id'))
    .select([
      'e.event_id', 'e.event_name', 'e.event_time', 'e.received_at', 'e.profile_id', 'e.source_id', 'e.action_source', 'k.trust',
      'e.identifiers', 'e.user_data', 'e.properties', 'e.context', 'e.emq', 'e.emq_breakdown', 'e.warnings',
    ])
    .where('e.tenant_id', '=', tenantId)
    .where('e.profile_id', 'in', family)
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('e.event_time', '<', after.time),
        eb.and([eb('e.event_time', '=', after.time), eb('e.event_id', '<', after.id)]),
      ]),
    )
  }
  const rows = await query
    .orderBy('e.event_time', 'desc')
    .orderBy('e.event_id', 'desc')
    .limit(options.limit + 1)
    .execute()
  const page = rows.slice(0, options.limit)
  const last = page.at(-1)
  return {
    data: page.map((r) => ({
      ...r,
      // The `in family` filter reads resolved events only.
      profile_id: r.profile_id!,
      event_time: r.event_time.toISOString(),
      received_at: r.received_at.toISOString(),
      emq: r.emq === null ? null : Math.round(Number(r.emq) * 10) / 10,
    })),
    next_cursor: rows.length > options.limit && last ? encodeCursor(last.event_time, last.event_id) : null,
  }
}

function encodeCursor(time: Date, id: string) {
  return Buffer.from(`${time.toISOString()}|${id}`).toString('base64url')
}

const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const CURSOR_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * Reads back exactly what `encodeCursor` writes, and nothing else: a loose
 * date, a time PostgreSQL cannot hold or an id that is not a UUID is a 400,
 * never a query the database refuses.
 */
function decodeCursor(cursor: string) {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  const [time = '', id = ''] = parts
  const ms = Date.parse(time)
  const exact = CURSOR_TIME.test(time) && isWithinTimeBounds(ms) && new Date(ms).toISOString() === time
  if (parts.length !== 2 || !exact || !CURSOR_ID.test(id)) {
    throw new StratumError(400, 'invalid_cursor', 'The cursor is not valid')
  }
  return { time: new Date(ms), id }
}
