import type { Kysely } from 'kysely'
import { createSourceKey } from '../auth/source-key'
import { withTenant } from '../db/with-tenant'
import type { Database, Source, SourceType } from '../db/schema'

/** What it takes to create a source. */
export interface NewSource {
  name: string
  sourceType: SourceType
  /** Exact origins (`https://shop.example`) allowed to use the key; empty: any. */
  allowedOrigins: string[]
}

/**
 * Creates a source with a fresh, high-entropy source key.
 *
 * @example
 * const source = await createSource(db, tenantId, { name: 'Shop', sourceType: 'website', allowedOrigins: [] })
 * source.source_key // 'sk_…'
 */
export function createSource(db: Kysely<Database>, tenantId: string, input: NewSource): Promise<Source> {
  return withTenant(db, tenantId, (trx) =>
    trx
      .insertInto('sources')
      .values({
        tenant_id: tenantId,
        name: input.name,
        source_type: input.sourceType,
        source_key: createSourceKey(tenantId),
        allowed_origins: input.allowedOrigins,
      })
      .returningAll()
      .executeTakeFirstOrThrow(),
  )
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
