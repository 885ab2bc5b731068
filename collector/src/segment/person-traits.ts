import { normalizeEmail } from '@stratum/pixel/identity'
import { type Fields, isFields } from './fields'

/** A `user_data` field (Meta's soft PII), hashed on arrival by ingest. */
export type UserDataField = 'fn' | 'ln' | 'ct' | 'st' | 'zp' | 'country' | 'db' | 'ge'

/** A person's traits, sorted by what the collector may keep of them. */
export interface PersonTraits {
  /** Raw email and phone, for the event's identifiers (normalised and hashed by ingest). */
  identifiers: Array<{ type: 'email' | 'phone'; value: string }>
  /** Raw soft PII, for the event's `user_data` (normalised and hashed by ingest). */
  userData: Partial<Record<UserDataField, string>>
  /** Every other trait: no personal data left in it. */
  kept: Fields
  /** Paths of personal traits that have no hashed form (a street, a user name): never stored. */
  dropped: string[]
}

/** Trait names, compared without case or separators (`first_name` = `firstName` = `FirstName`). */
const keyOf = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '')

const IDENTIFIERS: Readonly<Record<string, 'email' | 'phone'>> = { email: 'email', emailaddress: 'email', phone: 'phone', phonenumber: 'phone' }

const USER_DATA: Readonly<Record<string, UserDataField>> = {
  firstname: 'fn',
  lastname: 'ln',
  city: 'ct',
  state: 'st',
  postalcode: 'zp',
  zip: 'zp',
  zipcode: 'zp',
  postcode: 'zp',
  country: 'country',
  birthday: 'db',
  birthdate: 'db',
  dateofbirth: 'db',
  dob: 'db',
  gender: 'ge',
}

/** Personal traits with no hashed form: not stored. `address` is read field by field first. */
const UNSTORABLE = new Set(['street', 'address', 'username', 'avatar'])

/**
 * Sorts a person's traits (Segment `identify` traits, `context.traits`):
 * email and phone become identifiers; names, city, state, postal code,
 * country, birthday and gender (also inside `address`) become `user_data`,
 * and a full `name` gives its first and last words when first and last
 * names are missing; a street, user name or avatar has no hashed form and
 * is dropped, and so is any other trait whose value is an email address.
 * The rest is kept as it is (`collector/docs/segment.md`).
 *
 * @example
 * personTraits({ email: 'Jane@Shop.io', name: 'Jane Doe', address: { city: 'Berlin', street: 'Main 1' }, plan: 'pro' })
 * // { identifiers: [{ type: 'email', value: 'Jane@Shop.io' }], userData: { ct: 'Berlin', fn: 'Jane', ln: 'Doe' },
 * //   kept: { plan: 'pro' }, dropped: ['address.street'] }
 */
export function personTraits(traits: Fields): PersonTraits {
  const found: PersonTraits = { identifiers: [], userData: {}, kept: {}, dropped: [] }
  let fullName: string | undefined
  for (const [name, value] of Object.entries(traits)) {
    const key = keyOf(name)
    if (key === 'name' && typeof value === 'string') fullName = value
    else if (key === 'address' && isFields(value)) readAddress(value, found)
    else if (!place(key, name, value, found)) found.kept[name] = withoutEmails(value, name, found.dropped)
  }
  if (fullName !== undefined && found.userData.fn === undefined && found.userData.ln === undefined) {
    const words = fullName.trim().split(/\s+/).filter((w) => w !== '')
    if (words.length > 0) found.userData.fn = words[0]
    if (words.length > 1) found.userData.ln = words.at(-1)
  }
  return found
}

/**
 * Copies a group's (a company's) traits, dropping its `email` and `phone`
 * and any value that is an email address: a small company's contact is
 * often a person's own.
 *
 * @example
 * groupTraits({ name: 'Acme', email: 'owner@acme.io', employees: 3 }) // { kept: { name: 'Acme', employees: 3 }, dropped: ['email'] }
 */
export function groupTraits(traits: Fields): { kept: Fields; dropped: string[] } {
  const dropped: string[] = []
  const kept: Fields = {}
  for (const [name, value] of Object.entries(traits)) {
    if (IDENTIFIERS[keyOf(name)]) dropped.push(name)
    else kept[name] = withoutEmails(value, name, dropped)
  }
  return { kept, dropped }
}

/** Places a personal trait; `false` when it is not one. */
function place(key: string, path: string, value: unknown, found: PersonTraits): boolean {
  const identifier = IDENTIFIERS[key]
  const field = USER_DATA[key]
  if (!identifier && !field && !UNSTORABLE.has(key)) return false
  const text = typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? String(value) : undefined
  if (identifier && text) found.identifiers.push({ type: identifier, value: text })
  else if (field && text) found.userData[field] = field === 'db' ? text.replace(/^(\d{4}-\d{2}-\d{2})T.*$/, '$1') : text
  else if (value !== undefined && value !== null) found.dropped.push(path)
  return true
}

function readAddress(address: Fields, found: PersonTraits) {
  for (const [name, value] of Object.entries(address)) {
    const key = keyOf(name)
    if (USER_DATA[key] && key !== 'firstname' && key !== 'lastname') place(key, `address.${name}`, value, found)
    else if (value !== undefined && value !== null) found.dropped.push(`address.${name}`)
  }
}

/** The value with every string that is an email address taken out (and its path noted). */
function withoutEmails(value: unknown, path: string, dropped: string[]): unknown {
  if (typeof value === 'string') {
    if (value.includes('@') && normalizeEmail(value) !== null) {
      dropped.push(path)
      return undefined
    }
    return value
  }
  if (Array.isArray(value)) return value.map((item, i) => withoutEmails(item, `${path}[${i}]`, dropped)).filter((item) => item !== undefined)
  if (!isFields(value)) return value
  const kept: Fields = {}
  for (const [name, inner] of Object.entries(value)) {
    const clean = withoutEmails(inner, `${path}.${name}`, dropped)
    if (clean !== undefined) kept[name] = clean
  }
  return kept
}
