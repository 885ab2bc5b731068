import type { Kysely } from 'kysely'
import type { Database, Source } from '../db/schema'
import { withTenant } from '../db/with-tenant'
import { SECRET_KEY_TYPES } from './create-source'

/** What `PATCH /sources/{id}` may change; an absent field stays as it is. */
export interface SourcePatch {
  name?: string
  allowedOrigins?: string[]
  requiresMarketingConsent?: boolean
}

/** The outcome of `updateSource`. */
export type SourceUpdate =
  | { outcome: 'updated'; source: Source; originsChanged: boolean }
  | { outcome: 'not_found' }
  /** Origins were given to a `server` or `crm` source, whose secret key never works from a browser. */
  | { outcome: 'origins_refused' }

/**
 * Changes a source's name, allowed origins or marketing-consent rule. Its
 * type and key stay. `originsChanged` tells the caller to drop the source's
 * public key from the key cache: the allow-list is cached with the key
 * (`source-key-cache.ts`), so other processes apply a new list within the
 * cache's lifetime.
 *
 * @example
 * const update = await updateSource(db, tenantId, sourceId, { allowedOrigins: ['https://shop.example'] })
 * if (update.outcome === 'updated' && update.originsChanged) lookup.forget(update.source.source_key!)
 */
export function updateSource(db: Kysely<Database>, tenantId: string, sourceId: string, patch: SourcePatch): Promise<SourceUpdate> {
  return withTenant(db, tenantId, async (trx) => {
    const current = await trx
      .selectFrom('sources')
      .select(['source_type', 'allowed_origins'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', sourceId)
      .forUpdate()
      .executeTakeFirst()
    if (!current) return { outcome: 'not_found' }
    if (patch.allowedOrigins?.length && SECRET_KEY_TYPES.has(current.source_type)) return { outcome: 'origins_refused' }
    const source = await trx
      .updateTable('sources')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.allowedOrigins !== undefined ? { allowed_origins: patch.allowedOrigins } : {}),
        ...(patch.requiresMarketingConsent !== undefined ? { requires_marketing_consent: patch.requiresMarketingConsent } : {}),
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', sourceId)
      .returningAll()
      .executeTakeFirstOrThrow()
    const originsChanged = patch.allowedOrigins !== undefined && !sameList(current.allowed_origins, patch.allowedOrigins)
    return { outcome: 'updated', source, originsChanged }
  })
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i])
