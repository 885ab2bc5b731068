import type { EmqAutomation } from '../emq/types'

/**
 * Automation levels, most automatic first.
 *
 * @example
 * AUTOMATION_LEVELS[0] // 'full'
 */
export const AUTOMATION_LEVELS = ['full', 'partial', 'limited', 'manual'] as const satisfies readonly EmqAutomation[]

/**
 * A destination's gate policy (`collector/docs/trust-engine.md`). By itself it
 * can only be stricter than the band table: `min_event_emq` holds events
 * below a score, `min_level` holds everything while the source's level is
 * below it. `level` replaces the table's level, which may be looser, and so
 * takes `override: true`, whose author is recorded.
 *
 * @example
 * const strict: DestinationPolicy = { min_event_emq: 70, min_level: 'partial' }
 * const forced: DestinationPolicy = { override: true, level: 'full' }
 */
export interface DestinationPolicy {
  min_event_emq?: number
  min_level?: EmqAutomation
  level?: EmqAutomation
  override?: boolean
}

/**
 * Whether level `a` automates at least as much as level `b`.
 *
 * @example
 * atLeast('partial', 'limited') // true
 * atLeast('limited', 'partial') // false
 */
export function atLeast(a: EmqAutomation, b: EmqAutomation): boolean {
  return AUTOMATION_LEVELS.indexOf(a) <= AUTOMATION_LEVELS.indexOf(b)
}

/**
 * The level a destination works at for a source: the table's level for the
 * source's band, made manual below the policy's `min_level`, or the policy's
 * own `level` under an override.
 *
 * @example
 * effectiveLevel('partial', { min_level: 'full' }) // 'manual'
 * effectiveLevel('manual', { override: true, level: 'full' }) // 'full'
 */
export function effectiveLevel(tableLevel: EmqAutomation, policy: DestinationPolicy): EmqAutomation {
  if (policy.override && policy.level) return policy.level
  if (policy.min_level && !atLeast(tableLevel, policy.min_level)) return 'manual'
  return tableLevel
}
