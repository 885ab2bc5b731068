import type { Kysely } from 'kysely'
import { tenantOfSourceKey } from '../auth/source-key'
import { withTenant } from '../db/with-tenant'
import type { Database } from '../db/schema'

/** A source as the hot path needs it. */
export interface SourceKeyEntry {
  tenantId: string
  sourceId: string
  allowedOrigins: string[]
}

/** Resolves a source key to its source, or `null` when unknown. */
export type SourceKeyLookup = (key: string) => Promise<SourceKeyEntry | null>

/**
 * Looks source keys up within their tenant and keeps the answers (misses too)
 * for `ttlMs`, so a busy page does not cost a query per beacon. A new source
 * works at once; a changed allow-list takes effect within `ttlMs`.
 *
 * @example
 * const lookup = createSourceKeyLookup(db)
 * const source = await lookup('sk_…')
 */
export function createSourceKeyLookup(db: Kysely<Database>, ttlMs = 30_000, maxEntries = 10_000): SourceKeyLookup {
  const cache = new Map<string, { entry: SourceKeyEntry | null; expires: number }>()
  return async (key) => {
    const hit = cache.get(key)
    if (hit && hit.expires > Date.now()) return hit.entry
    const tenantId = tenantOfSourceKey(key)
    let entry: SourceKeyEntry | null = null
    if (tenantId) {
      const row = await withTenant(db, tenantId, (trx) =>
        trx.selectFrom('sources').select(['id', 'allowed_origins']).where('source_key', '=', key).executeTakeFirst(),
      )
      if (row) entry = { tenantId, sourceId: row.id, allowedOrigins: row.allowed_origins }
    }
    if (cache.size >= maxEntries) cache.clear()
    // Misses expire sooner so that a key created a moment ago is found quickly.
    cache.set(key, { entry, expires: Date.now() + (entry ? ttlMs : Math.min(ttlMs, 2_000)) })
    return entry
  }
}
