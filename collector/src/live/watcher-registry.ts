import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/schema'
import type { Logger } from '../log'

/**
 * Which tenants anyone watches live, on any collector of one PostgreSQL
 * server, so that a batch nobody watches costs no NOTIFY
 * (collector/docs/live-events.md, "Cost").
 */
export interface WatcherRegistry {
  /**
   * Registers this collector as watching the tenant. Resolves once every
   * collector's next batch of the tenant is sure to be announced: after the
   * registration, plus the age past which a collector no longer trusts its view.
   */
  watch(tenantId: string): Promise<void>
  /** This collector no longer watches the tenant; the last one stops the heartbeat. */
  unwatch(tenantId: string): void
  /**
   * Whether a batch of the tenant's may reach a watcher. Answers at once from
   * this collector's view of the registry; while that view is older than
   * `staleMs` (or missing) it answers `true` and refreshes it in the background.
   */
  watched(tenantId: string): boolean
}

export interface WatcherRegistryOptions {
  /** How old a view may be before it is no longer trusted; also what `watch` waits. */
  staleMs?: number
  /** How long a registration lives without a heartbeat: a collector that dies stops counting after this. */
  ttlMs?: number
  log?: Logger
}

const STALE_MS = 1000
const TTL_MS = 30_000

/**
 * Creates this collector's end of the registry in `live_watchers`.
 *
 * Why `watch` waits `staleMs`: a collector decides from a view that started
 * at some moment *s*. If *s* came after the registration committed, the view
 * holds it; if before, then by the time `watch` resolves the view is older
 * than `staleMs`, and a view that old answers `true`. Either way every batch
 * after `watch` resolved is announced.
 *
 * @example
 * const registry = createWatcherRegistry(db, { log })
 * await registry.watch(tenantId)      // then LISTEN-ers of the tenant's channel see every batch
 * registry.watched(otherTenantId)     // false once the view is fresh and nobody watches it
 */
export function createWatcherRegistry(db: Kysely<Database>, options: WatcherRegistryOptions = {}): WatcherRegistry {
  const staleMs = options.staleMs ?? STALE_MS
  const ttlMs = options.ttlMs ?? TTL_MS
  const collectorId = randomUUID()
  const mine = new Set<string>()
  let view: { tenants: Set<string>; takenAt: number } | undefined
  let refreshing = false
  let heartbeat: NodeJS.Timeout | undefined
  // Registrations and removals reach the table in the order they were made.
  let writes: Promise<unknown> = Promise.resolve()
  const write = <T>(statement: () => Promise<T>): Promise<T> => {
    const next = writes.then(statement, statement)
    writes = next.catch(() => {})
    return next
  }
  // Each registration also clears rows that expired: those of collectors that died without removing theirs.
  const register = (tenants: readonly string[]) =>
    write(() =>
      sql`
        WITH expired AS (DELETE FROM live_watchers WHERE expires_at < now())
        INSERT INTO live_watchers (collector_id, tenant_id, expires_at)
        SELECT ${collectorId}::uuid, t, now() + make_interval(secs => ${ttlMs / 1000}) FROM unnest(${tenants}::uuid[]) AS t
        ON CONFLICT (collector_id, tenant_id) DO UPDATE SET expires_at = excluded.expires_at
      `.execute(db),
    )
  const remove = (tenants: readonly string[]) =>
    write(() => sql`DELETE FROM live_watchers WHERE collector_id = ${collectorId} AND tenant_id = ANY(${tenants}::uuid[])`.execute(db))
  const refresh = () => {
    if (refreshing) return
    refreshing = true
    const takenAt = performance.now()
    sql<{ tenant_id: string }>`SELECT DISTINCT tenant_id FROM live_watchers WHERE expires_at > now()`
      .execute(db)
      .then(({ rows }) => {
        view = { tenants: new Set(rows.map((r) => r.tenant_id)), takenAt }
      })
      // A view that cannot be read stays stale, and a stale view announces every batch.
      .catch((error: Error) => options.log?.warn('live_watchers_unreadable', { error: error.message }))
      .finally(() => {
        refreshing = false
      })
  }
  const beat = () => {
    if (mine.size === 0) return
    register([...mine]).catch((error: Error) => options.log?.warn('live_heartbeat_failed', { error: error.message }))
  }

  return {
    async watch(tenantId) {
      mine.add(tenantId)
      if (!heartbeat) {
        heartbeat = setInterval(beat, ttlMs / 3)
        heartbeat.unref()
      }
      await register([tenantId])
      await sleep(staleMs)
    },
    unwatch(tenantId) {
      if (!mine.delete(tenantId)) return
      if (mine.size === 0) {
        clearInterval(heartbeat)
        heartbeat = undefined
      }
      remove([tenantId]).catch((error: Error) => options.log?.warn('live_unwatch_failed', { error: error.message }))
    },
    watched(tenantId) {
      if (!view || performance.now() - view.takenAt > staleMs) {
        refresh()
        return true
      }
      return view.tenants.has(tenantId)
    },
  }
}
