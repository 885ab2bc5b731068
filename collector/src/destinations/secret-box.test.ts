import { randomBytes } from 'node:crypto'
import { expect, test } from 'vitest'
import { loadConfig } from '../config'
import { createSecretBox } from './secret-box'

const key = () => randomBytes(32).toString('base64')

test('seals under the first key, opens under any, and tells when a secret is under an older key', () => {
  const k1 = key()
  const old = createSecretBox(loadConfig({ STRATUM_ENCRYPTION_KEYS: `k1:${k1}` }))
  const sealed = old.seal('EAAB-token')
  expect(sealed).toMatch(/^v1\.k1\./)
  expect(sealed).not.toContain('EAAB')
  expect(old.seal('EAAB-token')).not.toBe(sealed)
  const rotated = createSecretBox(loadConfig({ STRATUM_ENCRYPTION_KEYS: `k2:${key()},k1:${k1}` }))
  expect(rotated.open(sealed)).toBe('EAAB-token')
  expect(rotated.isStale(sealed)).toBe(true)
  expect(rotated.isStale(rotated.seal('x'))).toBe(false)
})

test('a tampered secret or an unknown key fails to open', () => {
  const box = createSecretBox(loadConfig({ STRATUM_ENCRYPTION_KEYS: `k1:${key()}` }))
  const sealed = box.seal('EAAB-token')
  const parts = sealed.split('.')
  parts[3] = Buffer.from('EAAB-tokem').toString('base64url')
  expect(() => box.open(parts.join('.'))).toThrow()
  expect(() => createSecretBox(loadConfig({ STRATUM_ENCRYPTION_KEYS: `k9:${key()}` })).open(sealed)).toThrow(/key "k1"/)
})

test('production without a key refuses to seal; development derives one from its JWT secret', () => {
  expect(() => createSecretBox(loadConfig({ NODE_ENV: 'production' })).seal('x')).toThrow(/STRATUM_ENCRYPTION_KEYS/)
  const dev = createSecretBox(loadConfig({ STRATUM_JWT_SECRET: 'a'.repeat(32) }))
  expect(createSecretBox(loadConfig({ STRATUM_JWT_SECRET: 'a'.repeat(32) })).open(dev.seal('x'))).toBe('x')
})

test('a malformed key stops the configuration with a message naming it', () => {
  expect(() => loadConfig({ STRATUM_ENCRYPTION_KEYS: 'k1:c2hvcnQ=' })).toThrow(/STRATUM_ENCRYPTION_KEYS/)
})
