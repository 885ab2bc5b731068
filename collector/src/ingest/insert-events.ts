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
 * Appends events, unresolved (`profile_id` NULL), in ONE statement whose
 * text never changes: each column travels as one array parameter and
 * `unnest` turns them back into rows, so the statement is prepared once per
 * connection whatever the batch size, instead of binding 20 parameters per
 * event. `WITH ORDINALITY … ORDER BY` hands rows to the insert in batch
 * order, which is the order `seq` — the resolver's arrival order — numbers
 * them in.
 *
 * @example
 * await insertEvents(trx, batch, rows)
 */
export async function insertEvents(trx: Transaction<Database>, batch: AppendBatch, rows: readonly EventRow[]): Promise<void> {
  if (rows.length === 0) return
  const column = <T>(pick: (row: EventRow) => T) => rows.map(pick)
  const warnings = column((r) => JSON.stringify(r.warnings))
  await sql`
    INSERT INTO events (tenant_id, event_time, event_id, source_id, event_name, action_source, received_at, sent_at,
      clock_corrected, identifiers, user_data, properties, context, consent, client_ip, user_agent, session_id, emq,
      emq_breakdown, warnings)
    SELECT ${batch.tenantId}::uuid, u.event_time, u.event_id, ${batch.sourceId}::uuid, u.event_name, u.action_source,
      ${batch.receivedAt}::timestamptz, ${batch.sentAt}::timestamptz, ${batch.clockCorrected}::boolean, u.identifiers::jsonb,
      u.user_data::jsonb, u.properties::jsonb, u.context::jsonb, u.consent::jsonb, u.client_ip::inet, u.user_agent,
      u.session_id, u.emq, u.emq_breakdown::jsonb, u.warnings::jsonb
    FROM unnest(
      ${column((r) => r.eventTime.toISOString())}::timestamptz[], ${column((r) => r.eventId)}::uuid[],
      ${column((r) => r.eventName)}::text[], ${column((r) => r.actionSource)}::text[],
      ${column((r) => r.identifiers)}::text[], ${column((r) => r.userData)}::text[], ${column((r) => r.properties)}::text[],
      ${column((r) => r.context)}::text[], ${column((r) => r.consent)}::text[], ${column((r) => r.clientIp)}::text[],
      ${column((r) => r.userAgent)}::text[], ${column((r) => r.sessionId)}::text[], ${column((r) => r.emq)}::real[],
      ${column((r) => r.emqBreakdown)}::text[], ${warnings}::text[]
    ) WITH ORDINALITY AS u(event_time, event_id, event_name, action_source, identifiers, user_data, properties, context,
      consent, client_ip, user_agent, session_id, emq, emq_breakdown, warnings, n)
    ORDER BY u.n
  `.execute(trx)
}
