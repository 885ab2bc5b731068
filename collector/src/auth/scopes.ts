/** Every scope a JWT may carry (space-separated in its `scope` claim). */
export const SCOPES = ['events:write', 'profiles:read', 'sources:read', 'sources:write', 'admin'] as const
export type Scope = (typeof SCOPES)[number]

/** What a request is allowed to do, and for which tenant. */
export interface AuthContext {
  tenantId: string
  scopes: ReadonlySet<Scope>
  via: 'jwt' | 'source_key'
  /** The JWT's `sub`, for audit rows. */
  subject?: string
  /** The source a source key belongs to. */
  source?: { id: string; allowedOrigins: string[] }
}

/**
 * A source key may only write events and consent: it is public, embedded in
 * every page that carries the pixel.
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
