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
 * `sendBeacon` refuse bodies over 64 KiB). An event too big to fit any batch
 * travels alone, so the collector can reject it by itself rather than the
 * pixel retrying it forever.
 *
 * @example
 * packBatches(events, new Date().toISOString(), 60_000, 100)
 */
export function packBatches<E extends { event_id: string }>(
  events: E[],
  sentAt: string,
  maxBytes: number,
  maxEvents: number,
): Batch[] {
  const head = `{"sent_at":"${sentAt}","events":[`
  const batches: Batch[] = []
  let ids: string[] = []
  let parts: string[] = []
  let bytes = 0
  const close = () => {
    if (parts.length) batches.push({ eventIds: ids, body: `${head}${parts.join(',')}]}`, bytes })
    ids = []
    parts = []
  }
  for (const event of events) {
    const json = JSON.stringify(event)
    const size = encoder.encode(json).length + 1
    if (parts.length && (parts.length === maxEvents || bytes + size > maxBytes)) close()
    // `]}` closes the body; every event but the first is preceded by a comma.
    if (!parts.length) bytes = head.length + 1
    ids.push(event.event_id)
    parts.push(json)
    bytes += size
  }
  close()
  return batches
}
