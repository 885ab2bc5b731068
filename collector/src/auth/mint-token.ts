import { SignJWT } from 'jose'
import type { Scope } from './scopes'

/**
 * Mints an HS256 JWT for a tenant and scopes, as `stratum token` does. Meant
 * for development, tests and backends that share the collector's secret.
 *
 * @example
 * const jwt = await mintToken({ secret, tenantId, scopes: ['profiles:read'], ttlSeconds: 3600 })
 */
export function mintToken(options: {
  secret: string
  tenantId: string
  scopes: readonly Scope[]
  ttlSeconds?: number
  subject?: string
  issuer?: string
  audience?: string
}): Promise<string> {
  const jwt = new SignJWT({ tenant_id: options.tenantId, scope: options.scopes.join(' ') })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds ?? 3600}s`)
  if (options.subject) jwt.setSubject(options.subject)
  if (options.issuer) jwt.setIssuer(options.issuer)
  if (options.audience) jwt.setAudience(options.audience)
  return jwt.sign(new TextEncoder().encode(options.secret))
}
