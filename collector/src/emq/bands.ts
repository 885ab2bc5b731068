import type { EmqAutomation, EmqBand } from './types'

/**
 * Inclusive lower bounds of each band (collector/docs/emq.md: 80–100 Excellent, 60–79 Good,
 * 40–59 Fair, 0–39 Poor). The spec writes whole-number ranges; scores have a
 * decimal (and window means are unrounded), so the bands are read as half-open
 * intervals `[min, next min)`: 79.9 is Good, 80 is Excellent. SQL aggregates
 * must use the same `>=` comparisons, e.g.
 * `CASE WHEN avg_emq >= 80 THEN 'excellent' WHEN avg_emq >= 60 THEN 'good' …`.
 *
 * @example
 * EMQ_BAND_THRESHOLDS.excellent // 80
 */
export const EMQ_BAND_THRESHOLDS = {
  excellent: 80,
  good: 60,
  fair: 40,
  poor: 0,
} as const satisfies Record<EmqBand, number>

/**
 * The automation level each band unlocks (Trust Engine gate).
 *
 * @example
 * EMQ_BAND_AUTOMATION.good // 'partial'
 */
export const EMQ_BAND_AUTOMATION = {
  excellent: 'full',
  good: 'partial',
  fair: 'limited',
  poor: 'manual',
} as const satisfies Record<EmqBand, EmqAutomation>

/**
 * Band of an EMQ score or of a window's mean EMQ. Anything below 40 —
 * including a non-finite value, which should never reach here — is Poor, so a
 * broken input can never unlock automation.
 *
 * @example
 * emqBand(79.9) // 'good'
 * emqBand(80)   // 'excellent'
 */
export function emqBand(score: number): EmqBand {
  if (score >= EMQ_BAND_THRESHOLDS.excellent) return 'excellent'
  if (score >= EMQ_BAND_THRESHOLDS.good) return 'good'
  if (score >= EMQ_BAND_THRESHOLDS.fair) return 'fair'
  return 'poor'
}

/**
 * Automation level for a band.
 *
 * @example
 * emqAutomation('fair') // 'limited'
 */
export function emqAutomation(band: EmqBand): EmqAutomation {
  return EMQ_BAND_AUTOMATION[band]
}
