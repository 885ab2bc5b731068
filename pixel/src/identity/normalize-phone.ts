import { callingCodeFor, callingCodeOf } from './country-calling-codes'

/**
 * A phone number in E.164 form.
 *
 * @example
 * const p: NormalizedPhone = { e164: '+16505551212', digits: '16505551212', countryFromDefault: false }
 */
export interface NormalizedPhone {
  /** `+` and 8–15 digits. */
  e164: string
  /** The E.164 digits without `+`: the form that is hashed (Meta's form). */
  digits: string
  /** True when the country code came from the default country, not from the value. */
  countryFromDefault: boolean
}

/** Why {@link parsePhone} failed: not a phone number, or no way to know its country. */
export type PhoneError = 'invalid_phone' | 'no_country'

/**
 * Trunk prefixes other than the usual `0`, by calling code. `''`: the leading 0 is part of the
 * number and is kept (Italy, San Marino and the Vatican; Côte d'Ivoire, Congo and Benin since their
 * renumbering). HU dials `06`, BY `80`.
 */
const TRUNK_PREFIX: Readonly<Record<string, string>> = { 39: '', 378: '', 225: '', 242: '', 229: '', 36: '06', 375: '80' }

/**
 * Countries whose national numbers are always 10 digits, with the trunk prefix that can precede
 * them: an 11-digit national number starting with the calling code or the trunk prefix carries one
 * extra leading digit (NANP `1 650 555 1212`, Russia `8 912 345-67-89`).
 */
const TEN_DIGIT_TRUNK: Readonly<Record<string, string>> = { 1: '1', 7: '8' }

/** Drops the trunk prefix that national dialling puts before the national significant number. */
function stripTrunk(code: string, national: string): string {
  const tenDigitTrunk = TEN_DIGIT_TRUNK[code]
  if (tenDigitTrunk) {
    const extra = national.length === 11 && (national[0] === code || national[0] === tenDigitTrunk)
    return extra ? national.slice(1) : national
  }
  const trunk = TRUNK_PREFIX[code] ?? '0'
  return trunk && national.startsWith(trunk) ? national.slice(trunk.length) : national
}

/**
 * Parses a phone number to E.164, or says why it cannot.
 *
 * Formatting (spaces, dots, dashes, slashes, parentheses) is dropped and full-width characters are
 * folded (NFKC). `+CC…` or `00CC…` carries its country; anything else is a national number of
 * `defaultCountry`. A trunk prefix after the country code is dropped in both forms, so the common
 * `+44 (0)20 …` gives the same number as `020 …` in GB. Valid only with 8–15 digits in all, and
 * for NANP (+1) and Russia/Kazakhstan (+7) with exactly 10 national digits.
 *
 * @example
 * parsePhone('+44 (0)20 7946 0958') // { e164: '+442079460958', digits: '442079460958', countryFromDefault: false }
 * parsePhone('020 7946 0958') // 'no_country'
 */
export function parsePhone(raw: string, defaultCountry?: string): NormalizedPhone | PhoneError {
  const match = /^(\+|00)?(\d+)$/.exec(raw.normalize('NFKC').replace(/[\s.\-/()]/g, ''))
  if (!match) return 'invalid_phone'
  const [, international, number = ''] = match
  const code = international ? callingCodeOf(number) : defaultCountry && callingCodeFor(defaultCountry)
  if (!code) return international ? 'invalid_phone' : 'no_country'
  const national = stripTrunk(code, international ? number.slice(code.length) : number)
  const digits = code + national
  const tenDigit = TEN_DIGIT_TRUNK[code] !== undefined
  if (digits.length < 8 || digits.length > 15 || (tenDigit && national.length !== 10)) return 'invalid_phone'
  // `1 650 555 1212` in the US or `7 912 …` in Russia was written with its country code.
  const withCode = tenDigit && number.length === 11 && number.startsWith(code)
  return { e164: '+' + digits, digits, countryFromDefault: !international && !withCode }
}

/**
 * Normalises a phone number to E.164 (see {@link parsePhone} for the rules); `null` when it is not
 * a phone number or its country is unknown (no `+`/`00` and no known `defaultCountry`).
 *
 * @example
 * normalizePhone('+1 (650) 555-1212') // { e164: '+16505551212', digits: '16505551212', countryFromDefault: false }
 * normalizePhone('030 1234567', 'DE') // { e164: '+49301234567', digits: '49301234567', countryFromDefault: true }
 */
export function normalizePhone(raw: string, defaultCountry?: string): NormalizedPhone | null {
  const phone = parsePhone(raw, defaultCountry)
  return typeof phone === 'string' ? null : phone
}
