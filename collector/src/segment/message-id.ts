import { createHash } from 'node:crypto'

/**
 * The namespace of every Stratum event id made from a Segment `messageId`:
 * a random UUID, fixed for good (changing it would turn every replay sent
 * after an upgrade into a new event).
 */
export const SEGMENT_MESSAGE_NAMESPACE = '78c5b678-2b4b-4520-ba65-123fc65c3f9a'

/**
 * A name-based UUID, version 5 (RFC 9562: SHA-1 of the namespace's bytes and
 * the name's UTF-8).
 *
 * @example
 * uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org') // '886313e1-3b8a-5372-9b90-0c9aee199e5d'
 */
export function uuidV5(namespace: string, name: string): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replaceAll('-', ''), 'hex')).update(name, 'utf8').digest()
  hash[6] = (hash[6]! & 0x0f) | 0x50
  hash[8] = (hash[8]! & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/**
 * The Stratum `event_id` of a Segment message: the UUIDv5 of its
 * `messageId` under {@link SEGMENT_MESSAGE_NAMESPACE}. A replay maps to the
 * same id, so it is stored once; a native event id (a v4 UUID from the
 * pixel, a keyed hash from a backend) cannot equal it by accident, even when
 * the `messageId` is itself a UUID (`collector/docs/segment.md`).
 *
 * @example
 * eventIdOfMessage('msg-1') // 'a9984536-68d0-5874-b9d3-859533d190e3'
 */
export function eventIdOfMessage(messageId: string): string {
  return uuidV5(SEGMENT_MESSAGE_NAMESPACE, messageId)
}
