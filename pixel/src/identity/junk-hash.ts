import { JUNK_EMAILS, JUNK_TOKENS } from './junk'
import { sha256Hex } from './sha256'
import type { IdentifierType } from './types'

/** Calling codes of the largest markets, to catch junk numbers hashed with their country code. */
const COMMON_CALLING_CODES = ['', '1', '7', '33', '34', '39', '44', '49', '55', '61', '86', '91']

/**
 * E.164 digit strings (the hashed phone form) of the obvious fake numbers: one digit repeated,
 * and counting sequences, bare or behind a common calling code (`1234567890` typed in a US form
 * hashes as `11234567890`, in a UK one as `441234567890`).
 */
function junkPhoneDigits(): string[] {
  const nationals = ['1234567890', '0123456789', '123456789', '12345678', '9876543210']
  const digits: string[] = []
  for (let d = 0; d <= 9; d++) {
    for (let length = 8; length <= 15; length++) digits.push(String(d).repeat(length))
    nationals.push(String(d).repeat(9), String(d).repeat(10))
  }
  for (const code of COMMON_CALLING_CODES) for (const national of nationals) digits.push(code + national)
  return digits
}

/** Tokens as any type would hash them, plus the empty string (sha256('') is a classic) and zeros. */
function junkTokenValues(): string[] {
  const values = ['', ...JUNK_TOKENS]
  for (let length = 1; length <= 15; length++) values.push('0'.repeat(length))
  return values
}

/** Hashes of junk values per type, built on the first call: ~400 digests are not free at page load. */
let junkHashes: Map<IdentifierType, Set<string>> | undefined

function buildJunkHashes(): Map<IdentifierType, Set<string>> {
  const tokens = junkTokenValues().map(sha256Hex)
  return new Map<IdentifierType, Set<string>>([
    ['email', new Set([...tokens, ...JUNK_EMAILS.map(sha256Hex)])],
    ['phone', new Set([...tokens, ...junkPhoneDigits().map(sha256Hex)])],
    ['external_id', new Set(tokens)],
    ['device_id', new Set(tokens)],
    ['anonymous_id', new Set(tokens)],
  ])
}

/**
 * Whether a SHA-256 hex (any case) is the hash of a junk value of that type: junk tokens
 * (`null`, `test`, `''`, …), the listed junk emails, obvious fake phones. Catches junk that a
 * backend hashed before sending. Addresses at reserved domains cannot be enumerated; they are
 * caught only before hashing.
 *
 * @example
 * isJunkHash('email', sha256Hex('test@test.com')) // true
 * isJunkHash('phone', sha256Hex('16505551212')) // false
 */
export function isJunkHash(type: IdentifierType, hash: string): boolean {
  if (!junkHashes) junkHashes = buildJunkHashes()
  return junkHashes.get(type)?.has(hash.toLowerCase()) ?? false
}
