/**
 * Placeholder values that forms, CRMs and `String(x)` produce when there is no real identifier.
 * Lowercase; compared with the trimmed, lowercased input. Beyond the usual list (pixel/docs/identity.md): `nil`, `na`,
 * `true`, `false` (stringified booleans) and `(not set)` (analytics tools' placeholder).
 */
export const JUNK_TOKENS: readonly string[] = [
  'null',
  'undefined',
  'none',
  'nan',
  'nil',
  'na',
  'n/a',
  'anonymous',
  'guest',
  'unknown',
  'test',
  '[object object]',
  'true',
  'false',
  '(not set)',
  '-1',
]

/**
 * Whether a raw value of any type is a placeholder: empty, a {@link JUNK_TOKENS} entry, or only
 * zeros and dashes (`0`, `000`, `--`, `0-0`).
 *
 * @example
 * isJunkToken(' N/A ') // true
 * isJunkToken('0000') // true
 */
export function isJunkToken(raw: string): boolean {
  const value = raw.trim().toLowerCase()
  return /^[0-]*$/.test(value) || JUNK_TOKENS.includes(value)
}

/** Addresses typed to get past a form. Normalised form; any address at a reserved domain is junk too. */
export const JUNK_EMAILS: readonly string[] = [
  'test@test.com',
  'a@a.com',
  'x@x.com',
  'abc@abc.com',
  'asdf@asdf.com',
  'email@email.com',
  'none@none.com',
  'no@email.com',
  'test@gmail.com',
]

/** RFC 2606 / RFC 6761 names that can never receive mail. */
const RESERVED_TLDS = ['test', 'invalid', 'localhost', 'example']
const RESERVED_DOMAINS = ['example.com', 'example.net', 'example.org']

/**
 * Whether an email domain (lowercase) is reserved for documentation or testing, subdomains included.
 *
 * @example
 * isReservedDomain('mail.example.com') // true
 * isReservedDomain('shop.test') // true
 * isReservedDomain('example.co') // false
 */
export function isReservedDomain(domain: string): boolean {
  const tld = domain.slice(domain.lastIndexOf('.') + 1)
  return RESERVED_TLDS.includes(tld) || RESERVED_DOMAINS.some((d) => domain === d || domain.endsWith('.' + d))
}

/**
 * Whether a digit string is one digit repeated (`5555555555`): keyboard filler, not a number.
 *
 * @example
 * isRepeatedDigits('00000000') // true
 */
export function isRepeatedDigits(digits: string): boolean {
  return /^(\d)\1+$/.test(digits)
}

/**
 * Whether a digit string of 6+ digits counts straight up or down, wrapping 9→0 (`1234567890`,
 * `0123456789`, `9876543210`): what people type when a phone is mandatory.
 *
 * @example
 * isSequentialDigits('1234567890') // true
 * isSequentialDigits('6505551212') // false
 */
export function isSequentialDigits(digits: string): boolean {
  const up = '0123456789'.repeat(3)
  return digits.length >= 6 && (up.includes(digits) || [...up].reverse().join('').includes(digits))
}
