import { normalizeBirthDate } from './birth-date'
import { isSha256Hex } from './is-hash'
import { isJunkToken } from './junk'
import { sha256Hex } from './sha256'

/**
 * Meta's soft match keys: first/last name, city, state, zip, country, date of birth, gender.
 *
 * @example
 * const field: UserDataField = 'zp'
 */
export type UserDataField = 'fn' | 'ln' | 'ct' | 'st' | 'zp' | 'country' | 'db' | 'ge'

const USER_DATA_FIELDS: readonly UserDataField[] = ['fn', 'ln', 'ct', 'st', 'zp', 'country', 'db', 'ge']

/**
 * Lowercase letters of any script with their combining marks, NFC; spaces, punctuation and digits
 * removed, so `Mary-Ann`, `Mary Ann` and `MaryAnn` hash alike (Meta: "no punctuation", and no
 * spaces for cities; names follow the same rule so one helper serves both).
 */
function letters(value: string): string | null {
  return value.toLowerCase().normalize('NFC').replace(/[^\p{L}\p{M}]/gu, '') || null
}

/** ISO-style 2-letter codes (state, country): `CA`, `c.a.` and ` u s ` all give 2 letters. */
function twoLetters(value: string): string | null {
  const code = letters(value)
  return code && /^[a-z]{2}$/.test(code) ? code : null
}

/** Lowercase without spaces; a US ZIP+4 (`94025-1234`) keeps its first 5 digits. */
function zip(value: string): string | null {
  const compact = value.toLowerCase().replace(/\s/g, '')
  const zip5 = /^(\d{5})-\d{4}$/.exec(compact)?.[1] ?? compact
  return /^[a-z\d-]{2,10}$/.test(zip5) ? zip5 : null
}

function gender(value: string): string | null {
  const word = letters(value)
  return word === 'f' || word === 'female' ? 'f' : word === 'm' || word === 'male' ? 'm' : null
}

const NORMALIZERS: Readonly<Record<UserDataField, (value: string) => string | null>> = {
  fn: letters,
  ln: letters,
  ct: letters,
  st: twoLetters,
  country: twoLetters,
  zp: zip,
  db: normalizeBirthDate,
  ge: gender,
}

/**
 * Normalises one `user_data` field by Meta's rules, without hashing; `null` when empty, junk
 * (`n/a`, `unknown`, …) or invalid. Rules: fn/ln/ct lowercase letters only (any script, accents
 * kept); st and country exactly 2 letters (full state names are not mapped); zp lowercase without
 * spaces, US ZIP+4 cut to 5 digits; db `YYYYMMDD`; ge `f` or `m`.
 *
 * @example
 * normalizeUserDataField('fn', ' Zoë ') // 'zoë'
 * normalizeUserDataField('zp', '94025-1234') // '94025'
 * normalizeUserDataField('db', '1990-07-04') // '19900704'
 */
export function normalizeUserDataField(field: UserDataField, raw: string): string | null {
  const value = String(raw ?? '').trim()
  // hasOwn: untyped callers could pass 'constructor' and reach Object.prototype.
  if (isJunkToken(value) || !Object.hasOwn(NORMALIZERS, field)) return null
  return NORMALIZERS[field](value)
}

/**
 * Normalises and hashes each `user_data` field. A value that already is a SHA-256 hex is passed
 * through lowercased; empty, junk and invalid fields are dropped; unknown keys are ignored.
 *
 * @example
 * hashUserData({ fn: 'Mary', ge: 'unknown' })
 * // { fn: '6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec' }
 */
export function hashUserData(raw: Partial<Record<UserDataField, string>>): Partial<Record<UserDataField, string>> {
  const hashed: Partial<Record<UserDataField, string>> = {}
  for (const field of USER_DATA_FIELDS) {
    const value = String(raw[field] ?? '').trim()
    if (isSha256Hex(value)) {
      hashed[field] = value.toLowerCase()
      continue
    }
    const normalized = normalizeUserDataField(field, value)
    if (normalized) hashed[field] = sha256Hex(normalized)
  }
  return hashed
}
