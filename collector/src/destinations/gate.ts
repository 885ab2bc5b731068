import { EMQ_BAND_THRESHOLDS } from '../emq/bands'
import type { EmqAutomation } from '../emq/types'
import { type DestinationPolicy, effectiveLevel } from './policy'

/**
 * The conversion events a Limited level still delivers (the gate table in collector/docs/trust-engine.md).
 *
 * @example
 * CONVERSION_EVENTS.has('Purchase') // true
 */
export const CONVERSION_EVENTS: ReadonlySet<string> = new Set(['Purchase', 'Lead', 'CompleteRegistration', 'Subscribe', 'StartTrial'])

/**
 * Every reason the gate holds an event for (see `HoldReason`).
 *
 * @example
 * HOLD_REASONS.includes('manual') // true
 */
export const HOLD_REASONS = ['manual', 'emq_below_60', 'not_a_conversion', 'no_match_key', 'below_min_event_emq'] as const

/**
 * Why the gate held an event:
 * `manual` — the level is Manual (Poor signal, or below the policy's `min_level`);
 * `emq_below_60` — Partial, and the event's own EMQ is under 60;
 * `not_a_conversion` / `no_match_key` — Limited, and the event is not a conversion or has no usable match key;
 * `below_min_event_emq` — under the policy's `min_event_emq`.
 *
 * @example
 * const reason: HoldReason = 'emq_below_60'
 */
export type HoldReason = (typeof HOLD_REASONS)[number]

/** What the gate knows about one event. */
export interface GatedEvent {
  eventName: string
  emq: number | null
  /** A usable email, phone, external_id, click id or fbp (`hasUsableMatchKey`). */
  hasMatchKey: boolean
}

/**
 * The gate's verdict: the level it decided under (`override` when the policy's
 * override set it), and the reason when it holds the event.
 *
 * @example
 * const d: GateDecision = { level: 'partial', send: false, reason: 'emq_below_60' }
 */
export type GateDecision = { level: EmqAutomation | 'override'; send: true } | { level: EmqAutomation | 'override'; send: false; reason: HoldReason }

/**
 * The Trust Engine's gate (`collector/docs/trust-engine.md`): the source's
 * band gives the table's level — Full delivers everything, Partial only
 * events of EMQ ≥ 60, Limited only conversions with a usable match key,
 * Manual nothing — and the destination's policy may make it stricter, or,
 * with an override, set the level itself. A `min_event_emq` applies at
 * every level.
 *
 * @example
 * gate('partial', {}, { eventName: 'PageView', emq: 52, hasMatchKey: true })
 * // { level: 'partial', send: false, reason: 'emq_below_60' }
 */
export function gate(tableLevel: EmqAutomation, policy: DestinationPolicy, event: GatedEvent): GateDecision {
  const level = effectiveLevel(tableLevel, policy)
  const shown = policy.override && policy.level ? 'override' : level
  const hold = (reason: HoldReason): GateDecision => ({ level: shown, send: false, reason })
  const emq = event.emq ?? 0
  if (level === 'manual') return hold('manual')
  if (level === 'partial' && emq < EMQ_BAND_THRESHOLDS.good) return hold('emq_below_60')
  if (level === 'limited' && !CONVERSION_EVENTS.has(event.eventName)) return hold('not_a_conversion')
  if (level === 'limited' && !event.hasMatchKey) return hold('no_match_key')
  if (policy.min_event_emq !== undefined && emq < policy.min_event_emq) return hold('below_min_event_emq')
  return { level: shown, send: true }
}
