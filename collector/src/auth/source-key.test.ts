import { randomUUID } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { createSecretKey, createSourceKey, hashSecretKey, isSourceKeyLike, readSourceKey } from './source-key'

describe('source keys', () => {
  test('carry their kind and tenant id', () => {
    const tenant = randomUUID()
    expect(readSourceKey(createSourceKey(tenant))).toEqual({ kind: 'public', tenantId: tenant })
    expect(readSourceKey(createSourceKey(tenant.toUpperCase()))).toEqual({ kind: 'public', tenantId: tenant })
    expect(readSourceKey(createSecretKey(tenant))).toEqual({ kind: 'secret', tenantId: tenant })
  })

  test('are high-entropy: the same tenant never gets the same key', () => {
    const tenant = randomUUID()
    const keys = new Set(Array.from({ length: 1000 }, () => createSourceKey(tenant)))
    expect(keys.size).toBe(1000)
    // 16 tenant bytes + 24 random bytes, base64url: 54 characters after the prefix.
    for (const key of keys) expect(key).toMatch(/^sk_[A-Za-z0-9_-]{54}$/)
    // Secret keys: 16 tenant bytes + 32 random bytes, 64 characters after the prefix.
    const secrets = new Set(Array.from({ length: 1000 }, () => createSecretKey(tenant)))
    expect(secrets.size).toBe(1000)
    for (const key of secrets) expect(key).toMatch(/^ssk_[A-Za-z0-9_-]{64}$/)
  })

  test('a secret key is stored as its SHA-256 hex', () => {
    expect(hashSecretKey('ssk_abc')).toBe('efa767898453bf187c11e8e3f06e1a636d8ce7bf607e7de205a5aa9e43ec1f1e')
    expect(hashSecretKey('ssk_abc')).not.toBe(hashSecretKey('ssk_abd'))
  })

  test('a bearer credential with a key prefix is a key, anything else a JWT', () => {
    expect(isSourceKeyLike(createSourceKey(randomUUID()))).toBe(true)
    expect(isSourceKeyLike(createSecretKey(randomUUID()))).toBe(true)
    expect(isSourceKeyLike('eyJhbGciOiJIUzI1NiJ9.e30.x')).toBe(false)
  })

  test.each([
    ['', 'empty'],
    ['sk_', 'prefix only'],
    ['ssk_', 'secret prefix only'],
    ['pk_' + 'A'.repeat(54), 'wrong prefix'],
    ['sk_' + 'A'.repeat(53), 'too short'],
    ['sk_' + 'A'.repeat(55), 'too long'],
    ['ssk_' + 'A'.repeat(54), 'a public length with the secret prefix'],
    ['sk_' + 'A'.repeat(64), 'a secret length with the public prefix'],
    ['sk_' + '+'.repeat(54), 'not base64url'],
    ['sk_' + 'A'.repeat(50) + '%20', 'escaped characters'],
  ])('%j (%s) is not a key', (key) => {
    expect(readSourceKey(key)).toBeNull()
  })
})
