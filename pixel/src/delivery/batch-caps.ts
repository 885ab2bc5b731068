import type { KeyValueStore } from '../key-value-store'
import { parseJson } from '../safe'
import { blamesBatch, isRetryable } from './transport'

/**
 * A halved cap reaches this after the event failed alone three times
 * (1 → ½ → ¼ → ⅛): the event is then dropped.
 */
const DROP_AT = 0.125

/**
 * Per-event caps on how many events an event may travel with, persisted so
 * that a poison event keeps being isolated across pages and tabs.
 *
 * @example
 * const caps = createBatchCaps(store, 'stratum_c_ab12cd34')
 * packBatches(events, sentAt, 32_000, 100, caps.read())
 * outbox.remove(caps.settle(batch.eventIds, status))
 */
export interface BatchCaps {
  /** event_id → the most events it may travel with; an event without a cap travels in full batches. */
  read(): Record<string, number>
  /** Records the collector's answer to a batch; returns the events to take out of the queue. */
  settle(eventIds: string[], status: number): string[]
}

/**
 * Isolates a poison event, one the collector fails on (500) whatever it
 * travels with, so that it cannot block the queue: each such failure halves
 * the cap of every event in the batch (to half the batch, or half its former
 * cap), so the next batch that holds it is half as big, until it travels
 * alone; after three failures alone it is dropped. The events that travelled
 * with it go through in the halves without it. Answers that say nothing about
 * the batch — network errors, 408, 429, 502, 503, 504 — change no cap, so an
 * outage never costs an event; acknowledged and refused (4xx) events leave the
 * queue and their caps go too. See `pixel/docs/pixel.md`, "Retries and poison
 * events".
 *
 * @example
 * const caps = createBatchCaps(store, 'stratum_c_ab12cd34')
 * caps.settle(['e1', 'e2', 'e3', 'e4'], 500) // [] (caps are now 2)
 * caps.settle(['e1'], 200) // ['e1']
 */
export function createBatchCaps(store: KeyValueStore, key: string): BatchCaps {
  const read = () => parseJson<Record<string, number>>(store.get(key), {})
  return {
    read,
    settle(ids, status) {
      const caps = read()
      const gone = isRetryable(status)
        ? ids.filter((id) => {
            if (blamesBatch(status)) caps[id] = Math.min(caps[id] || ids.length, ids.length) / 2
            return caps[id]! <= DROP_AT
          })
        : ids
      for (const id of gone) delete caps[id]
      store.set(key, JSON.stringify(caps))
      return gone
    },
  }
}
