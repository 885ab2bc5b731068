import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/schema'
import type { SecretBox } from './secret-box'

/**
 * Held events that waited longer than `hours` for an operator expire
 * (`status = 'expired'`), across tenants, as the connecting owner. Answers how many.
 *
 * @example
 * await expireHeldDeliveries(db, new Date(), 168) // 3
 */
export async function expireHeldDeliveries(db: Kysely<Database>, now: Date, hours: number): Promise<number> {
  const result = await sql`
    UPDATE deliveries SET status = 'expired', reason = 'held longer than ' || ${hours}::int || ' h', updated_at = ${now}
    WHERE status = 'held' AND created_at < ${new Date(now.getTime() - hours * 3_600_000)}
  `.execute(db)
  return Number(result.numAffectedRows ?? 0)
}

/**
 * Re-seals every destination secret sealed under an older key with the
 * current one (key rotation: `collector/docs/trust-engine.md`). Across
 * tenants, as the connecting owner; answers how many it re-sealed.
 *
 * @example
 * await resealSecrets(db, box) // 2
 */
export async function resealSecrets(db: Kysely<Database>, box: SecretBox): Promise<number> {
  const { rows } = await sql<{ tenant_id: string; id: string; secret: string }>`SELECT tenant_id, id, secret FROM destinations`.execute(db)
  let resealed = 0
  for (const row of rows.filter((r) => box.isStale(r.secret))) {
    // A secret no configured key opens stays as it is: its deliveries say why they fail.
    let plain: string
    try {
      plain = box.open(row.secret)
    } catch {
      continue
    }
    const fresh = box.seal(plain)
    await sql`UPDATE destinations SET secret = ${fresh} WHERE tenant_id = ${row.tenant_id} AND id = ${row.id} AND secret = ${row.secret}`.execute(db)
    resealed++
  }
  return resealed
}
