import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { normalizeIdentifier } from './normalize-identifier'

const sha = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex')

describe('normalizeIdentifier: email', () => {
  it('hashes the reference vector', () => {
    expect(normalizeIdentifier('email', 'John_Smith@gmail.com')).toEqual({
      type: 'email',
      value: '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f',
      hashed: true,
      status: 'valid',
    })
  })

  it('gives one hash for case, whitespace and Unicode variants', () => {
    const expected = sha('rené@exemple.fr')
    expect(normalizeIdentifier('email', ' RENÉ@Exemple.FR\t').value).toBe(expected)
    expect(normalizeIdentifier('email', 'rene\u0301@exemple.fr').value).toBe(expected)
  })

  it('flags role mailboxes: valid, but never bridging', () => {
    expect(normalizeIdentifier('email', 'Info@Acme.io')).toEqual({
      type: 'email',
      value: sha('info@acme.io'),
      hashed: true,
      status: 'valid',
      role: true,
    })
    expect(normalizeIdentifier('email', 'mary@acme.io').role).toBeUndefined()
  })

  it.each([
    ['user@example.com', 'reserved_domain'],
    ['user@mail.example.org', 'reserved_domain'],
    ['user@shop.test', 'reserved_domain'],
    ['user@host.invalid', 'reserved_domain'],
    ['user@box.localhost', 'reserved_domain'],
    ['Test@Test.com', 'junk_value'],
    ['a@a.com', 'junk_value'],
    ['null', 'junk_value'],
    ['[object Object]', 'junk_value'],
  ])('marks %j as junk (%s), still hashed', (raw, reason) => {
    const id = normalizeIdentifier('email', raw)
    expect(id).toMatchObject({ status: 'junk', reason, hashed: true })
    expect(id.value).toMatch(/^[a-f0-9]{64}$/)
    expect(id.value).not.toContain(raw)
  })

  it('marks a malformed address invalid and hashes it anyway, so it never travels raw', () => {
    expect(normalizeIdentifier('email', 'john at gmail')).toEqual({
      type: 'email',
      value: sha('john at gmail'),
      hashed: true,
      status: 'invalid',
      reason: 'invalid_email',
    })
  })
})

describe('normalizeIdentifier: phone', () => {
  it('hashes the reference vector', () => {
    expect(normalizeIdentifier('phone', '+1 (650) 555-1212')).toEqual({
      type: 'phone',
      value: 'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176',
      hashed: true,
      status: 'valid',
    })
  })

  it('marks a phone whose country came from the default as degraded', () => {
    expect(normalizeIdentifier('phone', '(650) 555-1212', { defaultCountry: 'US' })).toEqual({
      type: 'phone',
      value: 'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176',
      hashed: true,
      status: 'valid',
      degraded: true,
    })
    expect(normalizeIdentifier('phone', '020 7946 0958', { defaultCountry: 'GB' })).toMatchObject({
      value: sha('442079460958'),
      degraded: true,
    })
  })

  it.each([
    ['1234567890', 'US', 'sequential_digits'],
    ['+1 234 567 8901', undefined, 'sequential_digits'],
    ['+44 1234 567890', undefined, 'sequential_digits'],
    ['0123456789', 'DE', 'sequential_digits'],
    ['0123456789', 'IT', 'sequential_digits'],
    ['9876543210', 'FR', 'sequential_digits'],
    ['555-555-5555', 'US', 'repeated_digits'],
    ['+44 7777 777777', undefined, 'repeated_digits'],
    ['1111 1111', 'DE', 'repeated_digits'],
    ['0000000000', 'US', 'junk_value'],
    ['-1', 'US', 'junk_value'],
  ])('marks %j (%s) as junk: %s', (raw, defaultCountry, reason) => {
    expect(normalizeIdentifier('phone', raw, { defaultCountry })).toMatchObject({ status: 'junk', reason, hashed: true })
  })

  it.each([
    ['12345', 'US', 'invalid_phone'],
    ['+49 1234 5678 9012 345', 'US', 'invalid_phone'],
    ['call me', 'US', 'invalid_phone'],
    ['(650) 555-1212', undefined, 'no_country'],
    ['(650) 555-1212', 'ZZ', 'no_country'],
  ])('marks %j (%s) as invalid: %s', (raw, defaultCountry, reason) => {
    expect(normalizeIdentifier('phone', raw, { defaultCountry })).toEqual({
      type: 'phone',
      value: sha(raw),
      hashed: true,
      status: 'invalid',
      reason,
    })
  })
})

describe('normalizeIdentifier: already hashed values', () => {
  const phoneHash = 'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176'

  it('lowercases an UPPER-case hash and never re-hashes it', () => {
    expect(normalizeIdentifier('phone', ` ${phoneHash.toUpperCase()} `)).toEqual({
      type: 'phone',
      value: phoneHash,
      hashed: true,
      status: 'valid',
    })
    expect(normalizeIdentifier('email', phoneHash.toUpperCase()).value).toBe(phoneHash)
  })

  it('catches pre-hashed junk', () => {
    expect(normalizeIdentifier('email', sha('test@test.com'))).toEqual({
      type: 'email',
      value: sha('test@test.com'),
      hashed: true,
      status: 'junk',
      reason: 'junk_hash',
    })
    expect(normalizeIdentifier('phone', sha('11234567890').toUpperCase())).toMatchObject({
      value: sha('11234567890'),
      status: 'junk',
      reason: 'junk_hash',
    })
    expect(normalizeIdentifier('external_id', sha('null'), { hashExternalId: true })).toMatchObject({
      status: 'junk',
      reason: 'junk_hash',
    })
  })

  it('keeps a 64-hex value of an unhashed type as it is', () => {
    const upper = phoneHash.toUpperCase()
    expect(normalizeIdentifier('device_id', upper)).toEqual({
      type: 'device_id',
      value: upper,
      hashed: false,
      status: 'valid',
    })
  })
})

describe('normalizeIdentifier: external_id, device_id, anonymous_id', () => {
  it('trims external_id and keeps its case, unhashed by default', () => {
    expect(normalizeIdentifier('external_id', '  CRM-00042 ')).toEqual({
      type: 'external_id',
      value: 'CRM-00042',
      hashed: false,
      status: 'valid',
    })
  })

  it('hashes external_id (case kept) with hashExternalId', () => {
    expect(normalizeIdentifier('external_id', ' CRM-00042 ', { hashExternalId: true })).toEqual({
      type: 'external_id',
      value: sha('CRM-00042'),
      hashed: true,
      status: 'valid',
    })
  })

  it('trims device and anonymous ids', () => {
    expect(normalizeIdentifier('device_id', ' fp_9a8b7c ')).toEqual({
      type: 'device_id',
      value: 'fp_9a8b7c',
      hashed: false,
      status: 'valid',
    })
    expect(normalizeIdentifier('anonymous_id', 'anon_abc123\n').value).toBe('anon_abc123')
  })

  it.each(['external_id', 'device_id', 'anonymous_id'] as const)('applies the junk tokens to %s', (type) => {
    expect(normalizeIdentifier(type, ' Guest ')).toEqual({
      type,
      value: 'Guest',
      hashed: false,
      status: 'junk',
      reason: 'junk_value',
    })
    expect(normalizeIdentifier(type, 'undefined').status).toBe('junk')
    expect(normalizeIdentifier(type, '0').status).toBe('junk')
  })

  it('hashes a junk external_id lowercased when hashing is on, so isJunkHash recognises it', () => {
    expect(normalizeIdentifier('external_id', 'NULL', { hashExternalId: true })).toMatchObject({
      value: sha('null'),
      hashed: true,
      status: 'junk',
    })
  })
})

describe('normalizeIdentifier: empty and untyped input', () => {
  it.each(['', '   ', '\n\t'])('marks %j as empty junk with no value', (raw) => {
    for (const type of ['email', 'phone', 'external_id'] as const) {
      expect(normalizeIdentifier(type, raw)).toEqual({ type, value: '', hashed: false, status: 'junk', reason: 'empty' })
    }
  })

  it('treats null and undefined from untyped callers as empty, and stringifies numbers', () => {
    const untyped = normalizeIdentifier as (type: string, raw: unknown, options?: object) => unknown
    expect(untyped('email', null)).toMatchObject({ status: 'junk', reason: 'empty' })
    expect(untyped('email', undefined)).toMatchObject({ status: 'junk', reason: 'empty' })
    expect(untyped('phone', 6505551212, { defaultCountry: 'US' })).toMatchObject({ value: sha('16505551212') })
  })
})
