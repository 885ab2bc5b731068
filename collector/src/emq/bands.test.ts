import { describe, expect, it } from 'vitest'
import { EMQ_BAND_AUTOMATION, EMQ_BAND_THRESHOLDS, emqAutomation, emqBand } from './bands'

describe('emqBand', () => {
  it.each([
    [0, 'poor'],
    [39.9, 'poor'],
    [40, 'fair'],
    [59.9, 'fair'],
    [60, 'good'],
    [79.9, 'good'],
    [80, 'excellent'],
    [100, 'excellent'],
  ] as const)('%d → %s', (score, band) => {
    expect(emqBand(score)).toBe(band)
  })

  it('treats unrounded window means as half-open intervals', () => {
    expect(emqBand(39.999)).toBe('poor')
    expect(emqBand(79.95)).toBe('good')
  })

  it('never unlocks automation for a non-finite score', () => {
    expect(emqBand(Number.NaN)).toBe('poor')
  })
})

describe('thresholds and automation', () => {
  it('exports the documented thresholds for SQL aggregates', () => {
    expect(EMQ_BAND_THRESHOLDS).toEqual({ excellent: 80, good: 60, fair: 40, poor: 0 })
  })

  it.each([
    ['excellent', 'full'],
    ['good', 'partial'],
    ['fair', 'limited'],
    ['poor', 'manual'],
  ] as const)('%s → %s', (band, automation) => {
    expect(emqAutomation(band)).toBe(automation)
    expect(EMQ_BAND_AUTOMATION[band]).toBe(automation)
  })
})
