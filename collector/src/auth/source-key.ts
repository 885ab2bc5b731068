import { createHash, randomBytes } from 'node:crypto'

/** A public source key: sits in every page that loads the pixel. */
const PUBLIC_PREFIX = 'sk_'
/** A secret key of a `server` or `crm` source: held by a backend only. */
const SECRET_PREFIX = 'ssk_'
const TENANT_BYTES = 16
const PUBLIC_RANDOM_BYTES = 24
const SECRET_RANDOM_BYTES = 32

/** Which of the two kinds of source key a key is. */
export type SourceKeyKind = 'public' | 'secret'

/**
 * Creates a public source key: `sk_` + base64url(tenant id ‖ 192 random bits).
 *
 * The tenant id travels inside the key so that the collector can look the
 * source up within its tenant, under row-level security, and so that no
 * table needs a unique index that is not led by `tenant_id` (the schema
 * stays distributable by tenant). Public keys are public by design: they
 * sit in every page that loads the pixel.
 *
 * @example
 * createSourceKey('8c0e…-uuid') // 'sk_jA7…'
 */
export function createSourceKey(tenantId: string): string {
  return mint(PUBLIC_PREFIX, tenantId, PUBLIC_RANDOM_BYTES)
}

/**
 * Creates a secret key for a `server` or `crm` source: `ssk_` +
 * base64url(tenant id ‖ 256 random bits). It is answered once and stored
 * only as `hashSecretKey(key)`; see `collector/docs/trust-boundary.md`.
 *
 * @example
 * const key = createSecretKey(tenantId) // 'ssk_…', 68 characters
 */
export function createSecretKey(tenantId: string): string {
  return mint(SECRET_PREFIX, tenantId, SECRET_RANDOM_BYTES)
}

/**
 * The SHA-256 hex of a secret key, which is all the database keeps. 256
 * random bits need no salt or slow hash: nobody can guess their way back.
 *
 * @example
 * await db.selectFrom('sources').where('secret_key_hash', '=', hashSecretKey(key))
 */
export function hashSecretKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

/**
 * Reads the kind and the tenant id out of a source key, or `null` when the
 * key is not one of ours (wrong prefix, length or alphabet).
 *
 * @example
 * readSourceKey(createSecretKey(tenantId)) // { kind: 'secret', tenantId }
 */
export function readSourceKey(key: string): { kind: SourceKeyKind; tenantId: string } | null {
  const [kind, prefix, randomBytes] = key.startsWith(SECRET_PREFIX)
    ? (['secret', SECRET_PREFIX, SECRET_RANDOM_BYTES] as const)
    : (['public', PUBLIC_PREFIX, PUBLIC_RANDOM_BYTES] as const)
  if (!key.startsWith(prefix) || !/^[A-Za-z0-9_-]+$/.test(key.slice(prefix.length))) return null
  const bytes = Buffer.from(key.slice(prefix.length), 'base64url')
  if (bytes.length !== TENANT_BYTES + randomBytes) return null
  const hex = bytes.subarray(0, TENANT_BYTES).toString('hex')
  return { kind, tenantId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` }
}

/**
 * Whether a bearer credential is meant as a source key rather than a JWT (a
 * JWT never starts with a key's prefix), so that server-side SDKs can send
 * their write key as `Authorization: Bearer`.
 *
 * @example
 * isSourceKeyLike('ssk_…') // true
 * isSourceKeyLike('eyJhbGciOi…') // false
 */
export function isSourceKeyLike(credential: string): boolean {
  return credential.startsWith(PUBLIC_PREFIX) || credential.startsWith(SECRET_PREFIX)
}

function mint(prefix: string, tenantId: string, randomLength: number): string {
  const tenant = Buffer.from(tenantId.replaceAll('-', ''), 'hex')
  return prefix + Buffer.concat([tenant, randomBytes(randomLength)]).toString('base64url')
}
