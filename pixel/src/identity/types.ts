/**
 * The kinds of identifier an event can carry (pixel/docs/identity.md).
 *
 * @example
 * const t: IdentifierType = 'email'
 */
export type IdentifierType = 'email' | 'phone' | 'external_id' | 'device_id' | 'anonymous_id'

/**
 * Every identifier type, in resolution priority order (collector/docs/identity-resolution.md: external_id > email > phone >
 * device_id > anonymous_id), so callers can sort by index.
 *
 * @example
 * IDENTIFIER_TYPES.includes('phone') // true
 */
export const IDENTIFIER_TYPES: readonly IdentifierType[] = /* @__PURE__ */ Object.freeze([
  'external_id',
  'email',
  'phone',
  'device_id',
  'anonymous_id',
] as const)

/**
 * `valid`: usable for matching. `junk`: a placeholder or test value, kept on the event only.
 * `invalid`: not a well-formed value of its type.
 *
 * @example
 * const s: IdentifierStatus = 'junk'
 */
export type IdentifierStatus = 'valid' | 'junk' | 'invalid'

/**
 * The result of {@link normalizeIdentifier}.
 *
 * @example
 * const id: NormalizedIdentifier = { type: 'anonymous_id', value: 'anon_1', hashed: false, status: 'valid' }
 */
export interface NormalizedIdentifier {
  type: IdentifierType
  /**
   * SHA-256 hex for email and phone (and external_id with `hashExternalId`), the trimmed value
   * otherwise. Hashed types are hashed even when junk or invalid so raw PII never leaves this
   * module; it is `''` only when the input was empty.
   */
  value: string
  /** True when `value` is a SHA-256 hash. */
  hashed: boolean
  status: IdentifierStatus
  /** A role mailbox (info@, support@, …): stored, but never bridges two profiles. */
  role?: true
  /** A phone whose country came from the default country, not from the value. */
  degraded?: true
  /**
   * Why the value is junk or invalid: `empty`, `junk_value`, `junk_hash`, `reserved_domain`,
   * `invalid_email`, `invalid_phone`, `no_country`, `repeated_digits`, `sequential_digits`.
   */
  reason?: string
}

/**
 * Options for {@link normalizeIdentifier}.
 *
 * @example
 * const options: NormalizeOptions = { defaultCountry: 'US', hashExternalId: true }
 */
export interface NormalizeOptions {
  /** ISO 3166-1 alpha-2 country (any case) used for phones written without a country code. */
  defaultCountry?: string
  /** Hash external ids like emails (the default keeps them readable, case kept). */
  hashExternalId?: boolean
}
