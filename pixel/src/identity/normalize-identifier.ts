import { callingCodeOf } from './country-calling-codes'
import { isSha256Hex } from './is-hash'
import { isJunkHash } from './junk-hash'
import { isJunkToken, isRepeatedDigits, isReservedDomain, isSequentialDigits, JUNK_EMAILS } from './junk'
import { normalizeEmail } from './normalize-email'
import { parsePhone } from './normalize-phone'
import { isRoleMailbox } from './role-mailbox'
import { sha256Hex } from './sha256'
import type { IdentifierStatus, IdentifierType, NormalizedIdentifier, NormalizeOptions } from './types'

function hashedResult(
  type: IdentifierType,
  value: string,
  status: IdentifierStatus,
  reason?: string,
): NormalizedIdentifier {
  const id: NormalizedIdentifier = { type, value, hashed: true, status }
  if (reason) id.reason = reason
  return id
}

function normalizeEmailIdentifier(value: string): NormalizedIdentifier {
  const email = normalizeEmail(value)
  if (!email) return hashedResult('email', sha256Hex(value), 'invalid', 'invalid_email')
  const hash = sha256Hex(email)
  if (isReservedDomain(email.slice(email.indexOf('@') + 1))) return hashedResult('email', hash, 'junk', 'reserved_domain')
  if (JUNK_EMAILS.includes(email)) return hashedResult('email', hash, 'junk', 'junk_value')
  const id = hashedResult('email', hash, 'valid')
  if (isRoleMailbox(email)) id.role = true
  return id
}

function normalizePhoneIdentifier(value: string, defaultCountry?: string): NormalizedIdentifier {
  const phone = parsePhone(value, defaultCountry)
  if (typeof phone === 'string') return hashedResult('phone', sha256Hex(value), 'invalid', phone)
  const { digits } = phone
  // parsePhone's digits always start with a known calling code.
  const national = digits.slice(callingCodeOf(digits)?.length)
  // Checked on the national part: `+1 555 555 5555` repeats one digit after the country code.
  const junk = isRepeatedDigits(national)
    ? 'repeated_digits'
    : isSequentialDigits(national)
      ? 'sequential_digits'
      : undefined
  const id = hashedResult('phone', sha256Hex(digits), junk ? 'junk' : 'valid', junk)
  if (phone.countryFromDefault) id.degraded = true
  return id
}

/**
 * Normalises one identifier, applies the junk and role checks, and hashes email and phone (and
 * external_id with `hashExternalId`). Never throws; the pixel sends only `status: 'valid'` results.
 *
 * - A 64-hex value is taken as a hash: lowercased (hashed types), never re-hashed, checked
 *   against {@link isJunkHash}.
 * - Junk and invalid values of hashed types are hashed too, so raw PII never leaves this function.
 * - Untyped callers (the script tag) may pass numbers, `null` or `undefined`: they are stringified,
 *   nullish as empty.
 *
 * @example
 * normalizeIdentifier('email', 'John_Smith@gmail.com')
 * // { type: 'email', value: '62a14e44…0f62f', hashed: true, status: 'valid' }
 * normalizeIdentifier('phone', '(650) 555-1212', { defaultCountry: 'US' })
 * // { type: 'phone', value: 'e323ec62…b3176', hashed: true, status: 'valid', degraded: true }
 * normalizeIdentifier('anonymous_id', ' guest ') // { …, value: 'guest', status: 'junk', reason: 'junk_value' }
 */
export function normalizeIdentifier(
  type: IdentifierType,
  raw: string,
  options: NormalizeOptions = {},
): NormalizedIdentifier {
  const value = String(raw ?? '').trim()
  const hashed = type === 'email' || type === 'phone' || (type === 'external_id' && options.hashExternalId === true)
  if (!value) return { type, value: '', hashed: false, status: 'junk', reason: 'empty' }
  if (isJunkToken(value)) {
    // Lowercased before hashing so the hash is the one isJunkHash knows.
    return { type, value: hashed ? sha256Hex(value.toLowerCase()) : value, hashed, status: 'junk', reason: 'junk_value' }
  }
  if (isSha256Hex(value)) {
    const hash = hashed ? value.toLowerCase() : value
    return isJunkHash(type, value)
      ? { type, value: hash, hashed, status: 'junk', reason: 'junk_hash' }
      : { type, value: hash, hashed, status: 'valid' }
  }
  if (type === 'email') return normalizeEmailIdentifier(value)
  if (type === 'phone') return normalizePhoneIdentifier(value, options.defaultCountry)
  return { type, value: hashed ? sha256Hex(value) : value, hashed, status: 'valid' }
}
