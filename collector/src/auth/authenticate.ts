import { createMiddleware } from 'hono/factory'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'
import { StratumError } from '../errors'
import type { AppEnv } from '../http/app-env'
import type { SourceKeyLookup } from '../sources/source-key-cache'
import { provisionTenant } from '../tenants/provision-tenant'
import { SOURCE_KEY_SCOPES, type Scope } from './scopes'
import type { JwtVerifier } from './verify-jwt'

/** Tenants each middleware remembers as provisioned, so that its memory stays bounded. */
const MAX_REMEMBERED_TENANTS = 10_000

/** What the authentication middleware needs. */
export interface Authenticator {
  verifyJwt: JwtVerifier
  lookupSourceKey: SourceKeyLookup
  db: Kysely<Database>
}

/**
 * Authenticates a request by `Authorization: Bearer <JWT>` or, where
 * `allowSourceKey` is set, by a source key (`X-Source-Key` header or
 * `?source_key=` for `sendBeacon`, which cannot set headers). A source key
 * is refused from an origin outside its source's allow-list. Then checks that
 * the credentials carry `scope` (`admin` carries every scope), unless
 * `anyScope` accepts any valid token.
 *
 * @example
 * app.get('/sources', authenticate(authenticator, { scope: 'sources:read' }), handler)
 */
export function authenticate(authenticator: Authenticator, options: { scope: Scope; allowSourceKey?: boolean; anyScope?: boolean }) {
  const provisioned = new Set<string>()
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization')
    const sourceKey = c.req.header('x-source-key') ?? c.req.query('source_key')
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header)
      if (!match?.[1]) throw new StratumError(401, 'invalid_token', 'Authorization must be "Bearer <token>"')
      const auth = await authenticator.verifyJwt(match[1])
      if (!provisioned.has(auth.tenantId)) {
        await provisionTenant(authenticator.db, auth.tenantId)
        // Bounded: forgetting a tenant only costs one idempotent insert later.
        if (provisioned.size >= MAX_REMEMBERED_TENANTS) provisioned.clear()
        provisioned.add(auth.tenantId)
      }
      c.set('auth', auth)
    } else if (sourceKey && options.allowSourceKey) {
      const source = await authenticator.lookupSourceKey(sourceKey)
      if (!source) throw new StratumError(401, 'invalid_source_key', 'Source key is not valid')
      const origin = c.req.header('origin')
      if (source.allowedOrigins.length > 0 && !(origin && source.allowedOrigins.includes(origin))) {
        throw new StratumError(403, 'origin_not_allowed', 'This origin may not use this source key')
      }
      c.set('auth', {
        tenantId: source.tenantId,
        scopes: SOURCE_KEY_SCOPES,
        via: 'source_key',
        source: { id: source.sourceId, allowedOrigins: source.allowedOrigins },
      })
    } else if (sourceKey) {
      throw new StratumError(403, 'source_key_not_allowed', 'A source key may only write events and consent')
    } else {
      throw new StratumError(401, 'missing_credentials', 'Send "Authorization: Bearer <JWT>"')
    }
    const { scopes } = c.get('auth')
    if (!options.anyScope && !scopes.has(options.scope) && !scopes.has('admin')) {
      throw new StratumError(403, 'insufficient_scope', `This call needs the "${options.scope}" scope`)
    }
    await next()
  })
}
