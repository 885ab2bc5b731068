import type { Kysely } from 'kysely'
import { createSecretKey, createSourceKey, hashSecretKey } from '../auth/source-key'
import type { Database, Source, SourceType, Trust } from '../db/schema'
import { withTenant } from '../db/with-tenant'

/** What it takes to create a source. */
export interface NewSource {
  name: string
  sourceType: SourceType
  /** Exact origins (`https://shop.example`) allowed to use a public key; empty: any. */
  allowedOrigins: string[]
  /** Its events reach destinations only with a marketing grant (`collector/docs/trust-engine.md`). */
  requiresMarketingConsent?: boolean
}

/** A source with its key in full: the only moment a secret key is ever seen. */
export interface KeyedSource {
  source: Source
  key: string
}

/** Backends' sources hold a secret key; browsers' a public one. */
export const SECRET_KEY_TYPES: ReadonlySet<SourceType> = new Set(['server', 'crm'])

/**
 * The trust a source's key carries: `server` for a secret key, `browser` for
 * a public one — including a `server` or `crm` source created before secret
 * keys existed, until its key is rotated.
 *
 * @example
 * trustOf(source) // 'server'
 */
export function trustOf(source: Pick<Source, 'secret_key_hash'>): Trust {
  return source.secret_key_hash ? 'server' : 'browser'
}

/**
 * Creates a source with a fresh, high-entropy key: a secret key (stored as
 * its hash only) for `server` and `crm` sources, a public key otherwise.
 *
 * @example
 * const { source, key } = await createSource(db, tenantId, { name: 'Shop', sourceType: 'website', allowedOrigins: [] })
 * key // 'sk_…'
 */
export function createSource(db: Kysely<Database>, tenantId: string, input: NewSource): Promise<KeyedSource> {
  const { key, columns } = freshKey(tenantId, input.sourceType)
  return withTenant(db, tenantId, async (trx) => {
    const source = await trx
      .insertInto('sources')
      .values({
        tenant_id: tenantId,
        name: input.name,
        source_type: input.sourceType,
        allowed_origins: input.allowedOrigins,
        requires_marketing_consent: input.requiresMarketingConsent ?? false,
        ...columns,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    return { source, key }
  })
}

/**
 * Gives a source a new key and returns it with the key it replaced (`null`
 * for a secret key, which is not kept); `null` when the tenant has no such
 * source. The old key stops working: at once for a secret key, within the
 * key cache's lifetime for a public key in other collector processes.
 *
 * @example
 * const rotated = await rotateSourceKey(db, tenantId, sourceId) // { source, key: 'ssk_…', previousKey: null }
 */
export function rotateSourceKey(
  db: Kysely<Database>,
  tenantId: string,
  sourceId: string,
): Promise<(KeyedSource & { previousKey: string | null }) | null> {
  return withTenant(db, tenantId, async (trx) => {
    const current = await trx.selectFrom('sources').select(['source_type', 'source_key']).where('id', '=', sourceId).forUpdate().executeTakeFirst()
    if (!current) return null
    const { key, columns } = freshKey(tenantId, current.source_type)
    const source = await trx.updateTable('sources').set(columns).where('id', '=', sourceId).returningAll().executeTakeFirstOrThrow()
    return { source, key, previousKey: current.source_key }
  })
}

/**
 * Lists a tenant's sources, oldest first.
 *
 * @example
 * const sources = await listSources(db, tenantId)
 */
export function listSources(db: Kysely<Database>, tenantId: string): Promise<Source[]> {
  return withTenant(db, tenantId, (trx) => trx.selectFrom('sources').selectAll().orderBy('created_at').orderBy('id').execute())
}

/**
 * Whether the tenant has a source with this id.
 *
 * @example
 * await withTenant(db, tenantId, (trx) => sourceExists(trx, tenantId, sourceId)) // true
 */
export async function sourceExists(db: Kysely<Database>, tenantId: string, sourceId: string): Promise<boolean> {
  const row = await db.selectFrom('sources').select('id').where('tenant_id', '=', tenantId).where('id', '=', sourceId).executeTakeFirst()
  return row !== undefined
}

function freshKey(tenantId: string, type: SourceType) {
  if (!SECRET_KEY_TYPES.has(type)) {
    const key = createSourceKey(tenantId)
    return { key, columns: { source_key: key, secret_key_hash: null } }
  }
  const key = createSecretKey(tenantId)
  return { key, columns: { source_key: null, secret_key_hash: hashSecretKey(key) } }
}
