import { LIMITS } from './event-contract'
import type { Rejection } from './prepare-event'
import { tooManyIdentifiers } from './validate-event'

/**
 * Bounds the distinct identifiers (type and normalised value) one batch may
 * carry, since resolution loads and locks each of them: events are taken in
 * order, and one whose new identifiers would bring the batch past `limit`
 * is rejected with `too_many_identifiers`; the earlier events are kept, and
 * so is a later one that brings no new identifier. A client resends the
 * rejected events in another batch (`collector/docs/limits.md`).
 *
 * @example
 * const { kept, rejected } = boundBatchIdentifiers(prepared)
 */
export function boundBatchIdentifiers<E extends { index: number; identifiers: ReadonlyArray<{ type: string; value: string }> }>(
  events: E[],
  limit: number = LIMITS.identifiersPerBatch,
): { kept: E[]; rejected: Rejection[] } {
  const seen = new Set<string>()
  const kept: E[] = []
  const rejected: Rejection[] = []
  for (const event of events) {
    const fresh = new Set(event.identifiers.map((i) => `${i.type}:${i.value}`).filter((key) => !seen.has(key)))
    if (seen.size + fresh.size > limit) {
      rejected.push(tooManyIdentifiers(event.index, `The batch holds more than ${limit} distinct identifiers; send this event in another batch`))
      continue
    }
    for (const key of fresh) seen.add(key)
    kept.push(event)
  }
  return { kept, rejected }
}
