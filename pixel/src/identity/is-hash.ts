const SHA256_HEX = /^[a-f0-9]{64}$/i

/**
 * Whether `value` already is a SHA-256 hex digest (any case). Such values are taken as hashes,
 * lowercased and never hashed again.
 *
 * @example
 * isSha256Hex('E323EC626319CA94EE8BFF2E4C87CF613BE6EA19919ED1364124E16807AB3176') // true
 * isSha256Hex('john@example.com') // false
 */
export function isSha256Hex(value: string): boolean {
  return SHA256_HEX.test(value)
}
