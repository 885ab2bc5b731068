import type { Kysely } from 'kysely'
import { hashSecretKey, readSourceKey } from '../auth/source-key'
import type { Database, Trust } from '../db/schema'
import { withTenant } from '../db/with-tenant'

/** A source as the hot path needs it. */
export interface SourceKeyEntry {
  tenantId: string
  sourceId: string
  allowedOrigins: string[]
  /** `browser` for a public key, `server` for a secret one. */
  trust: Trust
}

/** Resolves a source key to its source, or `null` when unknown. */
export interface SourceKeyLookup {
  (key: string): Promise<SourceKeyEntry | null>
  /** Drops a public key from the cache at once (its source's key was rotated). */
  forget(key: string): void
}

/**
 * Looks source keys up within their tenant. Public keys' answers (misses
 * too) are kept for `ttlMs`, so a busy page does not cost a query per beacon:
 * a new source works at once, a changed allow-list or a rotated key takes
 * effect within `ttlMs` in other processes. Secret keys are looked up by
 * their hash on every request (backends send few, large batches), so a
 * rotated secret key stops working at once everywhere, and no raw secret
 * stays in memory.
 *
 * @example
 * const lookup = createSourceKeyLookup(db)
 * const source = await lookup('sk_…')
 */
export function createSourceKeyLookup(db: Kysely<Database>, ttlMs = 30_000, maxEntries = 10_000): SourceKeyLookup {
  const cache = new Map<string, { entry: SourceKeyEntry | null; expires: number }>()
  const lookup = async (key: string) => {
    const parsed = readSourceKey(key)
    if (parsed?.kind === 'secret') return findSource(db, parsed.tenantId, 'server', hashSecretKey(key))
    const hit = cache.get(key)
    if (hit && hit.expires > Date.now()) return hit.entry
    const entry = parsed ? await findSource(db, parsed.tenantId, 'browser', key) : null
    if (cache.size >= maxEntries) cache.clear()
    // Misses expire sooner so that a key created a moment ago is found quickly.
    cache.set(key, { entry, expires: Date.now() + (entry ? ttlMs : Math.min(ttlMs, 2_000)) })
    return entry
  }
  return Object.assign(lookup, { forget: (key: string) => void cache.delete(key) })
}

async function findSource(db: Kysely<Database>, tenantId: string, trust: Trust, stored: string): Promise<SourceKeyEntry | null> {
  const column = trust === 'server' ? 'secret_key_hash' : 'source_key'
  const row = await withTenant(db, tenantId, (trx) =>
    trx.selectFrom('sources').select(['id', 'allowed_origins']).where(column, '=', stored).executeTakeFirst(),
  )
  return row ? { tenantId, sourceId: row.id, allowedOrigins: row.allowed_origins, trust } : null
}
