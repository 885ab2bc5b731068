import { randomBytes } from 'node:crypto'

const PREFIX = 'sk_'
const TENANT_BYTES = 16
const SECRET_BYTES = 24

/**
 * Creates a source key: `sk_` + base64url(tenant id ‖ 192 random bits).
 *
 * The tenant id travels inside the key so that the collector can look the
 * source up within its tenant, under row-level security, and so that no
 * table needs a unique index that is not led by `tenant_id` (the schema
 * stays distributable by tenant). Source keys are public by design: they
 * sit in every page that loads the pixel.
 *
 * @example
 * createSourceKey('8c0e…-uuid') // 'sk_jA7…'
 */
export function createSourceKey(tenantId: string): string {
  const tenant = Buffer.from(tenantId.replaceAll('-', ''), 'hex')
  return PREFIX + Buffer.concat([tenant, randomBytes(SECRET_BYTES)]).toString('base64url')
}

/**
 * Reads the tenant id out of a source key, or `null` when the key is not one
 * of ours (wrong prefix, length or alphabet).
 *
 * @example
 * tenantOfSourceKey(createSourceKey(tenantId)) === tenantId // true
 */
export function tenantOfSourceKey(key: string): string | null {
  if (!key.startsWith(PREFIX) || !/^[A-Za-z0-9_-]+$/.test(key.slice(PREFIX.length))) return null
  const bytes = Buffer.from(key.slice(PREFIX.length), 'base64url')
  if (bytes.length !== TENANT_BYTES + SECRET_BYTES) return null
  const hex = bytes.subarray(0, TENANT_BYTES).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
