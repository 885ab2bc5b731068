import type { FeedItem } from './feed-item'

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; this leaves room to spare. */
export const MAX_NOTIFY_BYTES = 7900

/**
 * Packs a batch's feed items into NOTIFY payloads — JSON arrays — each under
 * `maxBytes` in UTF-8, keeping their order. An item that could never fit is
 * left out and counted (`oversized`): items are bounded well below the
 * limit (ingest cuts messages short), so this is a guard, not a path.
 *
 * @example
 * const { payloads } = notifyChunks(items) // ['[{"kind":"accepted",…},…]', …]
 */
export function notifyChunks(items: readonly FeedItem[], maxBytes = MAX_NOTIFY_BYTES): { payloads: string[]; oversized: number } {
  const payloads: string[] = []
  let oversized = 0
  let parts: string[] = []
  // The brackets, and a comma before every part but the first.
  let bytes = 2
  for (const item of items) {
    const text = JSON.stringify(item)
    const size = Buffer.byteLength(text)
    if (size + 2 > maxBytes) {
      oversized++
      continue
    }
    const added = size + (parts.length > 0 ? 1 : 0)
    if (bytes + added > maxBytes) {
      payloads.push(`[${parts.join(',')}]`)
      parts = []
      bytes = 2
    }
    bytes += size + (parts.length > 0 ? 1 : 0)
    parts.push(text)
  }
  if (parts.length > 0) payloads.push(`[${parts.join(',')}]`)
  return { payloads, oversized }
}
