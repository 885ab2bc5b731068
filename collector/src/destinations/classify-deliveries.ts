import type { EmqAutomation } from '../emq/types'
import { hasUsableMatchKey } from '../emq/score-identifier-quality'
import type { DeliveryEvent } from './delivery-event'
import { gate, type HoldReason } from './gate'
import type { MarketingConsent } from './marketing-consent'
import type { DestinationPolicy } from './policy'
import { healthOf, type SourceHealth } from './source-health'

/** What the worker knows when it looks at claimed deliveries. */
export interface ClassifyInput {
  claimed: Array<{ event_id: string; level: string | null }>
  events: ReadonlyMap<string, DeliveryEvent>
  consent: ReadonlyMap<string, MarketingConsent>
  health: ReadonlyMap<string | null, SourceHealth>
  policy: DestinationPolicy
  /** Sources whose events need a marketing grant. */
  consentRequired: ReadonlySet<string>
}

/** Where each claimed delivery goes next. */
export interface Classified {
  /** The event is gone (erased, suppressed, past retention): the delivery goes too. */
  gone: string[]
  /** Not yet resolved into a profile: wait. */
  unresolved: DeliveryEvent[]
  suppressed: Array<{ eventId: string; reason: 'marketing_denied' | 'no_marketing_consent' }>
  held: Array<{ eventId: string; level: string; reason: HoldReason }>
  send: Array<{ event: DeliveryEvent; level: string }>
}

/**
 * Sorts claimed deliveries at send time (`collector/docs/trust-engine.md`):
 * an event is delivered only once it is resolved; its person's marketing
 * consent is read now, so a denial recorded after ingest still stops it;
 * then the gate decides, once — a delivery that already passed it (a retry)
 * or that an operator released keeps its level.
 *
 * @example
 * const { send, held } = classifyDeliveries({ claimed, events, consent, health, policy, consentRequired })
 */
export function classifyDeliveries(input: ClassifyInput): Classified {
  const out: Classified = { gone: [], unresolved: [], suppressed: [], held: [], send: [] }
  for (const row of input.claimed) {
    const event = input.events.get(row.event_id)
    if (!event) {
      out.gone.push(row.event_id)
      continue
    }
    if (event.profileId === null) {
      out.unresolved.push(event)
      continue
    }
    const person = input.consent.get(event.profileId) ?? { denied: true, granted: false }
    if (person.denied) {
      out.suppressed.push({ eventId: row.event_id, reason: 'marketing_denied' })
      continue
    }
    const needsGrant = event.sourceId !== null && input.consentRequired.has(event.sourceId)
    if (needsGrant && !person.granted && event.consent?.marketing !== true) {
      out.suppressed.push({ eventId: row.event_id, reason: 'no_marketing_consent' })
      continue
    }
    if (row.level !== null) {
      out.send.push({ event, level: row.level })
      continue
    }
    const tableLevel: EmqAutomation = healthOf(input.health, event.sourceId).level
    const clickIds = event.context.click_ids as { fbc?: string; fbp?: string; gclid?: string; ttclid?: string } | undefined
    const decision = gate(tableLevel, input.policy, {
      eventName: event.eventName,
      emq: event.emq,
      hasMatchKey: hasUsableMatchKey(event.identifiers as Parameters<typeof hasUsableMatchKey>[0], clickIds),
    })
    if (decision.send) out.send.push({ event, level: decision.level })
    else out.held.push({ eventId: row.event_id, level: decision.level, reason: decision.reason })
  }
  return out
}
