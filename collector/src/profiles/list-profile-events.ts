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
    /** `browser` for an event sent with a public source key, `server` with a JWT or a secret key. */
    trust: Trust
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
 * page costs the same however deep it is. The events' keys carry their
 * profile (collector/docs/pipeline.md, "Where resolution is written"): the
 * index `event_keys_journey` finds a page, and each event is then read by
 * its primary key, in its own month's partition.
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
  let query = trx
    .selectFrom('event_keys as k')
    .innerJoin('events as e', (join) =>
      join.onRef('e.tenant_id', '=', 'k.tenant_id').onRef('e.event_id', '=', 'k.event_id').onRef('e.event_time', '=', 'k.event_time'),
    )
    .select([
      'e.event_id', 'e.event_name', 'e.event_time', 'e.received_at', 'k.profile_id', 'e.source_id', 'e.action_source', 'k.trust',
      'e.identifiers', 'e.user_data', 'e.properties', 'e.context', 'e.emq', 'e.emq_breakdown', 'e.warnings',
    ])
    .where('k.tenant_id', '=', tenantId)
    .where('k.profile_id', 'in', family)
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('k.event_time', '<', after.time),
        eb.and([eb('k.event_time', '=', after.time), eb('k.event_id', '<', after.id)]),
      ]),
    )
  }
  const rows = await query
    .orderBy('k.event_time', 'desc')
    .orderBy('k.event_id', 'desc')
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
