import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import type { Config } from '../config'
import { StratumError } from '../errors'

/** Encrypts and decrypts destination secrets (access tokens, signing secrets). */
export interface SecretBox {
  /** `v1.<key id>.<iv>.<ciphertext>.<tag>`, base64url parts, under the first key. */
  seal(plain: string): string
  open(sealed: string): string
  /** Whether `sealed` is under an older key than the current one (rotation). */
  isStale(sealed: string): boolean
}

/** The key a development collector derives from its JWT secret when no key is configured. */
const DEV_KEY_ID = 'dev'

/**
 * AES-256-GCM with the keys of `STRATUM_ENCRYPTION_KEYS`: the first key seals,
 * every key opens, so that keys can be rotated (`collector/docs/trust-engine.md`).
 * Each sealed value names its key and has its own random IV; GCM's tag makes a
 * tampered value fail to open instead of decrypting to garbage. Outside
 * production, without a configured key, a key is derived from the JWT secret
 * (HKDF), so that the demo works out of the box; production must configure one.
 *
 * @example
 * const box = createSecretBox(config)
 * box.open(box.seal('EAAB…')) // 'EAAB…'
 */
export function createSecretBox(config: Pick<Config, 'env' | 'jwt' | 'delivery'>): SecretBox {
  const keys = [...config.delivery.encryptionKeys]
  if (keys.length === 0 && config.env !== 'production' && config.jwt.secret) {
    const derived = hkdfSync('sha256', config.jwt.secret, 'stratum', 'destination secrets', 32)
    keys.push({ id: DEV_KEY_ID, key: Buffer.from(derived) })
  }
  const byId = new Map(keys.map((k) => [k.id, k.key]))
  const current = keys[0]
  return {
    seal(plain) {
      if (!current) {
        throw new StratumError(503, 'encryption_key_missing', 'Set STRATUM_ENCRYPTION_KEYS to store destination secrets')
      }
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', current.key, iv)
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return ['v1', current.id, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.')
    },
    open(sealed) {
      const [version, id, iv, body, tag] = sealed.split('.')
      const key = id === undefined ? undefined : byId.get(id)
      if (version !== 'v1' || !key || !iv || body === undefined || !tag) {
        throw new StratumError(500, 'secret_unreadable', `No configured key opens this secret (key "${id ?? '?'}")`)
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
      decipher.setAuthTag(Buffer.from(tag, 'base64url'))
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
    },
    isStale: (sealed) => current !== undefined && sealed.split('.')[1] !== current.id,
  }
}
