import { randomUUID } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { createSourceKey, tenantOfSourceKey } from './source-key'

describe('source keys', () => {
  test('carry their tenant id', () => {
    const tenant = randomUUID()
    expect(tenantOfSourceKey(createSourceKey(tenant))).toBe(tenant)
    expect(tenantOfSourceKey(createSourceKey(tenant.toUpperCase()))).toBe(tenant)
  })

  test('are high-entropy: the same tenant never gets the same key', () => {
    const tenant = randomUUID()
    const keys = new Set(Array.from({ length: 1000 }, () => createSourceKey(tenant)))
    expect(keys.size).toBe(1000)
    // 16 tenant bytes + 24 random bytes, base64url: 54 characters after the prefix.
    for (const key of keys) expect(key).toMatch(/^sk_[A-Za-z0-9_-]{54}$/)
  })

  test.each([
    ['', 'empty'],
    ['sk_', 'prefix only'],
    ['pk_' + 'A'.repeat(54), 'wrong prefix'],
    ['sk_' + 'A'.repeat(53), 'too short'],
    ['sk_' + 'A'.repeat(55), 'too long'],
    ['sk_' + '+'.repeat(54), 'not base64url'],
    ['sk_' + 'A'.repeat(50) + '%20', 'escaped characters'],
  ])('%j (%s) is not a key', (key) => {
    expect(tenantOfSourceKey(key)).toBeNull()
  })
})
