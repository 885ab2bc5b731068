import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'

/**
 * Lowercase hex SHA-256 of the UTF-8 bytes of `input`. Synchronous and browser-safe (noble
 * instead of WebCrypto, whose digest is async and missing on plain-http pages).
 *
 * @example
 * sha256Hex('mary') // '6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec'
 */
export function sha256Hex(input: string): string {
  return bytesToHex(sha256(utf8ToBytes(input)))
}
