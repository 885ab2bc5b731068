import { hashUserData, normalizeIdentifier } from '../identity'
import { warn } from '../safe'
import type { Identifier, IdentifyTraits } from '../types'
import { type IdentifiedUser, mergeUsers } from './identified-user'

/**
 * The part of `identify()` that needs the identity module. The npm build
 * imports it; the script tag fetches it as a chunk (`stratum-identity.min.js`)
 * because SHA-256 and the normalisation tables would take the core past its
 * 6 KB budget.
 *
 * @example
 * const identity: IdentityModule = { identifyUser }
 */
export interface IdentityModule {
  identifyUser: typeof identifyUser
}

/**
 * What the visitor is known as after `identify(traits)`: the hashed traits
 * merged into what was known, or `undefined` (with a warning) when the traits
 * hold nothing usable, so that such a call records nothing.
 *
 * @example
 * identifyUser(visitor.user(), { email: 'jane@shop.example' })?.identifiers // [..., { type: 'email', value: '…' }]
 */
export function identifyUser(
  known: IdentifiedUser,
  traits: IdentifyTraits | undefined,
  defaultCountry?: string,
): IdentifiedUser | undefined {
  const learned = hashTraits(traits || {}, defaultCountry)
  if (learned.identifiers.length || Object.keys(learned.user_data).length) return mergeUsers(known, learned)
  warn('nothing to identify')
}

/**
 * Normalises and hashes `identify()` traits in the browser, so raw PII is
 * never queued, stored or sent. Junk and invalid identifiers (`test@test.com`,
 * `000000`) are left out with a console warning; a role mailbox is kept and
 * marked `role: true` so the collector never bridges profiles through it.
 * The traits' `country` is the default country for phones without a `+`.
 *
 * @example
 * hashTraits({ email: 'John_Smith@gmail.com', firstName: 'Mary' })
 * // { identifiers: [{ type: 'email', value: '62a14e…' }], user_data: { fn: '691577…' } }
 */
export function hashTraits(traits: IdentifyTraits, defaultCountry?: string): IdentifiedUser {
  const identifiers: Identifier[] = []
  for (const [type, raw] of [
    ['email', traits.email],
    ['phone', traits.phone],
    ['external_id', traits.externalId],
  ] as const) {
    if (raw == null) continue
    const id = normalizeIdentifier(type, raw, { defaultCountry: traits.country || defaultCountry })
    if (id.status !== 'valid') warn(`ignored ${id.status} ${type} (${id.reason})`)
    else identifiers.push(id.role ? { type, value: id.value, role: true } : { type, value: id.value })
  }
  const user_data = hashUserData({
    fn: traits.firstName,
    ln: traits.lastName,
    ct: traits.city,
    st: traits.state,
    zp: traits.zip,
    country: traits.country,
    db: traits.dateOfBirth,
    ge: traits.gender,
  })
  return { identifiers, user_data }
}
