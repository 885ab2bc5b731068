import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'
import { StratumError } from '../errors'
import type { AppEnv } from '../http/app-env'
import type { SourceKeyLookup } from '../sources/source-key-cache'
import { provisionTenant } from '../tenants/provision-tenant'
import { readCredential } from './read-credential'
import { type AuthContext, SOURCE_KEY_SCOPES, type Scope } from './scopes'
import { readSourceKey } from './source-key'
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
 * Authenticates a request by a JWT or, where `allowSourceKey` is set, by a
 * source key (see `readCredential` for where each may be sent). A public key
 * is refused from an origin outside its source's allow-list; a secret key
 * from anything that looks like a browser. Then checks that the credentials
 * carry `scope` (`admin` carries every scope), unless `anyScope` accepts any
 * valid token. The auth context says the request's trust level
 * (`collector/docs/trust-boundary.md`).
 *
 * @example
 * app.get('/sources', authenticate(authenticator, { scope: 'sources:read' }), handler)
 */
export function authenticate<E extends AppEnv = AppEnv>(
  authenticator: Authenticator,
  options: {
    scope: Scope
    allowSourceKey?: boolean
    anyScope?: boolean
    /** Where else a route takes a source key when no header carries one (Segment's clients: the body's `writeKey`). */
    keyFrom?: (c: Context<E>) => string | undefined
  },
) {
  const provisioned = new Set<string>()
  return createMiddleware<E>(async (c, next) => {
    const fromRoute = options.keyFrom?.(c)
    const credential = readCredential(c.req) ?? (fromRoute ? { kind: 'key' as const, key: fromRoute, inUrl: false } : null)
    if (!credential) throw new StratumError(401, 'missing_credentials', 'Send "Authorization: Bearer <JWT>"')
    if (credential.kind === 'jwt') {
      const auth = await authenticator.verifyJwt(credential.token)
      if (!provisioned.has(auth.tenantId)) {
        await provisionTenant(authenticator.db, auth.tenantId)
        // Bounded: forgetting a tenant only costs one idempotent insert later.
        if (provisioned.size >= MAX_REMEMBERED_TENANTS) provisioned.clear()
        provisioned.add(auth.tenantId)
      }
      c.set('auth', auth)
    } else if (options.allowSourceKey) {
      c.set('auth', await authenticateSourceKey(authenticator, credential.key, credential.inUrl, c))
    } else {
      throw new StratumError(403, 'source_key_not_allowed', 'A source key may only write events and consent')
    }
    const { scopes } = c.get('auth')
    if (!options.anyScope && !scopes.has(options.scope) && !scopes.has('admin')) {
      throw new StratumError(403, 'insufficient_scope', `This call needs the "${options.scope}" scope`)
    }
    await next()
  })
}

/**
 * Authenticates a source key: refuses a secret key from anything that looks
 * like a browser or sent in a URL, and a public key from an origin outside
 * its source's allow-list. The auth context says the key's trust.
 *
 * @example
 * c.set('auth', await authenticateSourceKey(authenticator, c.req.param('writeKey'), true, c))
 */
export async function authenticateSourceKey(authenticator: Authenticator, key: string, inUrl: boolean, c: Context): Promise<AuthContext> {
  const origin = c.req.header('origin')
  const secret = readSourceKey(key)?.kind === 'secret'
  // Browsers send Origin on cross-origin and POST requests and Sec-Fetch-Site on every request;
  // Node's fetch sends Sec-Fetch-Mode, so that one alone proves nothing. A URL is the beacon's way.
  if (secret && (inUrl || origin !== undefined || c.req.header('sec-fetch-site') !== undefined)) {
    throw new StratumError(403, 'secret_key_from_browser', 'A secret key works only from a backend: never from a browser or in a URL')
  }
  const source = await authenticator.lookupSourceKey(key)
  if (!source) throw new StratumError(401, 'invalid_source_key', 'Source key is not valid')
  if (!secret && source.allowedOrigins.length > 0 && !(origin && source.allowedOrigins.includes(origin))) {
    throw new StratumError(403, 'origin_not_allowed', 'This origin may not use this source key')
  }
  return {
    tenantId: source.tenantId,
    scopes: SOURCE_KEY_SCOPES,
    via: secret ? 'secret_key' : 'source_key',
    trust: source.trust,
    source: { id: source.sourceId, allowedOrigins: source.allowedOrigins },
  }
}
