import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema'
import type { EventRow } from './event-rows'

/** What every event of one append shares. */
export interface AppendBatch {
  tenantId: string
  sourceId: string | null
  receivedAt: Date
  sentAt: Date | null
  clockCorrected: boolean
}

/**
 * Appends events in ONE statement whose
 * text never changes: the batch travels as one JSON document, which
 * `jsonb_to_recordset` turns back into rows, so the statement is prepared
 * once per connection whatever the batch size, instead of binding 20
 * parameters per event. The row's JSON columns are already serialised
 * (`event-rows.ts`) and are spliced into the document as they are: sent as
 * arrays of text instead, every quote in them was escaped once more by the
 * driver, which cost the collector twice the CPU of this statement for the
 * same rows and the same time in PostgreSQL (collector/docs/performance.md).
 * The events' keys, claimed just before, hold their resolution
 * (`claim-event-ids.ts`); the event row is never rewritten for it.
 *
 * @example
 * await insertEvents(trx, batch, rows)
 */
export async function insertEvents(trx: Transaction<Database>, batch: AppendBatch, rows: readonly EventRow[]): Promise<void> {
  if (rows.length === 0) return
  const document = `[${rows.map(eventJson).join(',')}]`
  await sql`
    INSERT INTO events (tenant_id, event_time, event_id, source_id, event_name, action_source, received_at, sent_at,
      clock_corrected, identifiers, user_data, properties, context, consent, client_ip, user_agent, session_id, emq,
      emq_breakdown, warnings)
    SELECT ${batch.tenantId}::uuid, u.event_time, u.event_id, ${batch.sourceId}::uuid, u.event_name, u.action_source,
      ${batch.receivedAt}::timestamptz, ${batch.sentAt}::timestamptz, ${batch.clockCorrected}::boolean, u.identifiers,
      u.user_data, u.properties, u.context, u.consent, u.client_ip::inet, u.user_agent, u.session_id, u.emq,
      u.emq_breakdown, u.warnings
    FROM jsonb_to_recordset((${document}::text)::jsonb) AS u(event_time timestamptz, event_id uuid, event_name text,
      action_source text, identifiers jsonb, user_data jsonb, properties jsonb, context jsonb, consent jsonb,
      client_ip text, user_agent text, session_id text, emq real, emq_breakdown jsonb, warnings jsonb)
  `.execute(trx)
}

/** One row as a JSON object. A JSON `null` becomes SQL NULL in `jsonb_to_recordset`, for jsonb columns too. */
function eventJson(r: EventRow): string {
  const text = JSON.stringify
  return (
    `{"event_time":"${r.eventTime.toISOString()}","event_id":${text(r.eventId)},"event_name":${text(r.eventName)},` +
    `"action_source":${text(r.actionSource)},"identifiers":${r.identifiers},"user_data":${r.userData},` +
    `"properties":${r.properties},"context":${r.context},"consent":${r.consent ?? 'null'},"client_ip":${text(r.clientIp)},` +
    `"user_agent":${text(r.userAgent)},"session_id":${text(r.sessionId)},"emq":${text(r.emq)},` +
    `"emq_breakdown":${r.emqBreakdown},"warnings":${text(r.warnings)}}`
  )
}
