import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema'

/**
 * A person's traits: the latest value of each trait their Segment `identify`
 * calls set (`Identify` events whose `context.segment.type` is `identify`;
 * its properties are the traits left once personal data was taken out,
 * `collector/docs/segment.md`), across the survivor and every profile merged
 * into it. Read from the events themselves, so they follow the events:
 * retention and erasure take them along.
 *
 * @example
 * await loadProfileTraits(trx, tenantId, ['7f3c…', '0b9e…']) // { plan: 'pro', logins: 5 }
 */
export async function loadProfileTraits(trx: Transaction<Database>, tenantId: string, family: readonly string[]): Promise<Record<string, unknown>> {
  if (family.length === 0) return {}
  const { rows } = await sql<{ key: string; value: unknown }>`
    SELECT DISTINCT ON (t.key) t.key, t.value
    FROM event_keys AS k
    JOIN events AS e ON e.tenant_id = k.tenant_id AND e.event_id = k.event_id AND e.event_time = k.event_time,
      jsonb_each(e.properties) AS t(key, value)
    WHERE k.tenant_id = ${tenantId}
      AND k.profile_id IN (${sql.join(family.map((id) => sql`${id}::uuid`))})
      AND e.event_name = 'Identify'
      AND e.context -> 'segment' ->> 'type' = 'identify'
    ORDER BY t.key, e.event_time DESC, e.received_at DESC
  `.execute(trx)
  return Object.fromEntries(rows.map((row) => [row.key, row.value]))
}
