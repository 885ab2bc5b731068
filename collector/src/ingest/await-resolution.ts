import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/schema'
import { withTenant } from '../db/with-tenant'
import type { Resolver } from '../resolver/resolver'

/** An appended event after resolution: its profile, or `null` when resolution dropped it (suppressed). */
export interface ResolvedEvent {
  profileId: string | null
  warnings: string[]
}

const POLL_MS = 20

/**
 * Waits, at most `timeoutMs`, until every one of `eventIds` is resolved, for
 * a caller that asked for it (`Prefer: wait=resolved`, see
 * collector/docs/pipeline.md). It drives this process's resolver for the
 * tenant and reads the outcome from the database, so it also sees a round
 * another collector ran. An event no longer stored was dropped at resolution
 * (an analytics denial or an erased identifier). `null` when the time ran out.
 *
 * @example
 * const resolved = await awaitResolution(db, resolver, tenantId, ['0f8c…'], 10_000)
 */
export async function awaitResolution(
  db: Kysely<Database>,
  resolver: Resolver,
  tenantId: string,
  eventIds: readonly string[],
  timeoutMs: number,
): Promise<Map<string, ResolvedEvent> | null> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    await resolver.drain(tenantId, Math.max(0, deadline - Date.now()))
    const { rows } = await withTenant(db, tenantId, (trx) =>
      sql<{ event_id: string; profile_id: string | null; warnings: string[] }>`
        SELECT k.event_id, k.profile_id, e.warnings FROM event_keys AS k
        JOIN events AS e ON e.tenant_id = k.tenant_id AND e.event_id = k.event_id AND e.event_time = k.event_time
        WHERE k.tenant_id = ${tenantId} AND k.event_id = ANY(${eventIds}::uuid[])
      `.execute(trx),
    )
    if (rows.every((r) => r.profile_id !== null)) {
      const found = new Map(rows.map((r) => [r.event_id, { profileId: r.profile_id, warnings: r.warnings }]))
      return new Map(eventIds.map((id) => [id, found.get(id) ?? { profileId: null, warnings: [] }]))
    }
    if (Date.now() >= deadline) return null
    await sleep(Math.min(POLL_MS, deadline - Date.now()))
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)).unref())
