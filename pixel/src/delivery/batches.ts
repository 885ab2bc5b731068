/**
 * A request body and the events it carries.
 *
 * @example
 * for (const { body, eventIds } of packBatches(events, sentAt, 60_000, 100)) send(body)
 */
export interface Batch {
  eventIds: string[]
  body: string
  bytes: number
}

const encoder = new TextEncoder()

/**
 * Packs events, in order, into request bodies `{sent_at, events}` of at most
 * `maxEvents` events and `maxBytes` UTF-8 bytes each (keepalive fetch and
 * `sendBeacon` refuse bodies over 64 KiB). A batch also holds no more events
 * than the smallest cap (see `batch-caps.ts`) among them, so that a
 * suspected poison event travels in ever smaller batches. An event too big to
 * fit any batch travels alone, so the collector can reject it by itself
 * rather than the pixel retrying it forever.
 *
 * @example
 * packBatches(events, new Date().toISOString(), 60_000, 100, { 'e-7': 2 })
 */
export function packBatches<E extends { event_id: string }>(
  events: E[],
  sentAt: string,
  maxBytes: number,
  maxEvents: number,
  caps: Record<string, number> = {},
): Batch[] {
  const head = `{"sent_at":"${sentAt}","events":[`
  const batches: Batch[] = []
  let ids: string[] = []
  let parts: string[] = []
  let bytes = 0
  let limit = 0
  const close = () => {
    if (parts.length) batches.push({ eventIds: ids, body: `${head}${parts.join(',')}]}`, bytes })
    ids = []
    parts = []
    // `]}` closes the body; every event but the first is preceded by a comma.
    bytes = head.length + 1
    limit = maxEvents
  }
  close()
  for (const event of events) {
    const json = JSON.stringify(event)
    const size = encoder.encode(json).length + 1
    const cap = caps[event.event_id] || maxEvents
    if (parts.length && (parts.length >= Math.min(limit, cap) || bytes + size > maxBytes)) close()
    limit = Math.min(limit, cap)
    ids.push(event.event_id)
    parts.push(json)
    bytes += size
  }
  close()
  return batches
}
