/**
 * `@stratum/pixel/identity`: identifier normalisation and hashing shared by the browser pixel, the
 * collector and backends (pixel/docs/identity.md). Synchronous, browser-safe, side-effect free; lookup tables are
 * built on first use. Rules and test vectors: `pixel/docs/identity.md`.
 *
 * @example
 * import { normalizeIdentifier } from '@stratum/pixel/identity'
 * normalizeIdentifier('email', 'John_Smith@gmail.com').value
 * // '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f'
 */
export { callingCodeFor } from './country-calling-codes'
export { isSha256Hex } from './is-hash'
export { isJunkHash } from './junk-hash'
export { normalizeEmail } from './normalize-email'
export { normalizeIdentifier } from './normalize-identifier'
export { type NormalizedPhone, normalizePhone } from './normalize-phone'
export { hashUserData, normalizeUserDataField, type UserDataField } from './normalize-user-data'
export { sha256Hex } from './sha256'
export {
  IDENTIFIER_TYPES,
  type IdentifierStatus,
  type IdentifierType,
  type NormalizedIdentifier,
  type NormalizeOptions,
} from './types'
