import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose'
import { z } from 'zod'
import type { Config } from '../config'
import { StratumError } from '../errors'
import { STORAGE_RETRY_AFTER_SECONDS } from '../http/storage-unavailable'
import { type AuthContext, parseScopes } from './scopes'

const ClaimsSchema = z.object({
  tenant_id: z.uuid(),
  scope: z.string().optional(),
  sub: z.string().optional(),
  exp: z.number(),
})

/** Verifies a bearer token and returns the request's auth context. */
export type JwtVerifier = (token: string) => Promise<AuthContext>

/**
 * Builds the JWT verifier for the configuration: HS256 with the shared secret,
 * and/or RS256/ES256 keys from a JWKS URL. The algorithm is pinned by the
 * token's key source, so an HS256 token signed with a public RSA key (key
 * confusion) or `alg: none` is refused; `exp` is required; `iss` and `aud`
 * are checked when configured.
 *
 * @example
 * const verify = createJwtVerifier(config.jwt)
 * const auth = await verify(token) // { tenantId, scopes, via: 'jwt', trust: 'server' }
 */
export function createJwtVerifier(jwt: Config['jwt']): JwtVerifier {
  const secret = jwt.secret ? new TextEncoder().encode(jwt.secret) : undefined
  const jwks: JWTVerifyGetKey | undefined = jwt.jwksUrl ? createRemoteJWKSet(new URL(jwt.jwksUrl)) : undefined
  const common = {
    requiredClaims: ['exp'],
    ...(jwt.issuer ? { issuer: jwt.issuer } : {}),
    ...(jwt.audience ? { audience: jwt.audience } : {}),
  }

  return async (token) => {
    const alg = readAlg(token)
    let payload: JWTPayload
    try {
      if (alg === 'HS256' && secret) {
        payload = (await jwtVerify(token, secret, { ...common, algorithms: ['HS256'] })).payload
      } else if (jwks && jwt.jwksAlgorithms.includes(alg)) {
        payload = (await jwtVerify(token, jwks, { ...common, algorithms: jwt.jwksAlgorithms }).catch(keysUnavailable)).payload
      } else {
        throw new StratumError(401, 'invalid_token', `Token algorithm ${alg} is not accepted`)
      }
    } catch (error) {
      if (error instanceof StratumError) throw error
      const reason = (error as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'Token has expired' : 'Token is invalid'
      throw new StratumError(401, 'invalid_token', reason)
    }
    const claims = ClaimsSchema.safeParse(payload)
    if (!claims.success) throw new StratumError(401, 'invalid_token', 'Token must carry a tenant_id UUID claim')
    return {
      tenantId: claims.data.tenant_id.toLowerCase(),
      scopes: parseScopes(claims.data.scope),
      via: 'jwt',
      trust: 'server',
      subject: claims.data.sub,
      expiresAt: new Date(claims.data.exp * 1000),
    }
  }
}

/** jose's codes for a JWKS that could not be fetched or read (the token may be fine). */
const JWKS_FETCH_CODES = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID', 'ERR_JOSE_GENERIC'])

/**
 * A JWKS endpoint that is down says nothing about the token: answering 401
 * would make a backend drop its batch, so it is a retryable 503 instead.
 * `fetch` failures are plain `TypeError`s, outside jose's error family.
 */
function keysUnavailable(error: unknown): never {
  const code = (error as { code?: unknown }).code
  if (typeof code !== 'string' || JWKS_FETCH_CODES.has(code)) {
    throw new StratumError(503, 'jwks_unavailable', 'The signing keys cannot be fetched; retry later', [], {
      'Retry-After': String(STORAGE_RETRY_AFTER_SECONDS),
    })
  }
  throw error
}

/** Reads `alg` from a compact JWS header without trusting anything else in it. */
function readAlg(token: string): string {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'))
    if (typeof header?.alg === 'string') return header.alg
  } catch {
    // fall through: a malformed header is an invalid token
  }
  throw new StratumError(401, 'invalid_token', 'Token is malformed')
}
