import type { Trust } from '../db/schema'

/** Every scope a JWT may carry (space-separated in its `scope` claim). */
export const SCOPES = ['events:write', 'profiles:read', 'sources:read', 'sources:write', 'admin'] as const
export type Scope = (typeof SCOPES)[number]

/** What a request is allowed to do, and for which tenant. */
export interface AuthContext {
  tenantId: string
  scopes: ReadonlySet<Scope>
  /** A JWT, a public source key, or a `server`/`crm` source's secret key. */
  via: 'jwt' | 'source_key' | 'secret_key'
  /**
   * Who stands behind the data: `browser` for a public source key, `server`
   * for a JWT or a secret key. What a request may block, suppress or count
   * follows from it (`collector/docs/trust-boundary.md`).
   */
  trust: Trust
  /** The JWT's `sub`, for audit rows. */
  subject?: string
  /** When the JWT expires (its `exp`); a source key does not. */
  expiresAt?: Date
  /** The source a source key belongs to. */
  source?: { id: string; allowedOrigins: string[] }
}

/**
 * A source key may only write events and consent: a public one is embedded in
 * every page that carries the pixel, and a secret one is a backend's write key.
 */
export const SOURCE_KEY_SCOPES: ReadonlySet<Scope> = new Set(['events:write'])

/**
 * Parses a `scope` claim, keeping only known scopes.
 *
 * @example
 * parseScopes('events:write profiles:read bogus') // Set { 'events:write', 'profiles:read' }
 */
export function parseScopes(claim: unknown): Set<Scope> {
  const known = new Set<string>(SCOPES)
  const words = typeof claim === 'string' ? claim.split(/\s+/) : []
  return new Set(words.filter((w): w is Scope => known.has(w)))
}
