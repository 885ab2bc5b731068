import { describe, expect, it } from 'vitest'
import { isClockSkew, lagSeconds, scoreTimeliness } from './score-timeliness'

const DAY = 86_400

describe('scoreTimeliness — spec vectors', () => {
  it.each([
    [30 * 60, 17.12],
    [6 * 3600, 12.62],
    [3 * DAY, 6.61],
  ])('T(%d s) = %d', (lag, expected) => {
    expect(Math.round(scoreTimeliness(lag) * 100) / 100).toBe(expected)
  })
})

describe('scoreTimeliness — curve knots', () => {
  it.each([
    [300, 20],
    [3600, 16],
    [DAY, 10],
    [7 * DAY, 4],
  ])('T(%d s) = %d', (lag, expected) => {
    expect(scoreTimeliness(lag)).toBeCloseTo(expected, 10)
  })
})

describe('scoreTimeliness — edges', () => {
  it.each([
    [-301, 0, true],
    [-300, 20, false],
    [0, 20, false],
    [300, 20, false],
    [7 * DAY, 4, false],
    [7 * DAY + 1, 0, false],
  ])('lag %d s → %d (clock skew: %s)', (lag, expected, skew) => {
    expect(scoreTimeliness(lag)).toBeCloseTo(expected, 10)
    expect(isClockSkew(lag)).toBe(skew)
  })

  it('starts decaying just past the grace period', () => {
    const t = scoreTimeliness(301)
    expect(t).toBeLessThan(20)
    expect(t).toBeCloseTo(19.99, 2)
  })

  it('flags sub-second skew beyond the grace period', () => {
    expect(isClockSkew(-300.001)).toBe(true)
    expect(scoreTimeliness(-300.001)).toBe(0)
  })

  it('decreases monotonically from 5 min to 7 days', () => {
    let previous = Number.POSITIVE_INFINITY
    for (let lag = 300; lag <= 7 * DAY; lag *= 1.5) {
      const t = scoreTimeliness(lag)
      expect(t).toBeLessThanOrEqual(previous)
      previous = t
    }
  })

  it('gives 0 for an invalid date', () => {
    expect(scoreTimeliness(Number.NaN)).toBe(0)
    expect(scoreTimeliness(lagSeconds(new Date('nope'), new Date()))).toBe(0)
  })
})

describe('lagSeconds', () => {
  it('is received − event time, in seconds', () => {
    expect(lagSeconds(new Date('2026-01-13T15:00:00Z'), new Date('2026-01-13T15:30:00Z'))).toBe(1800)
    expect(lagSeconds(new Date('2026-01-13T15:30:00.500Z'), new Date('2026-01-13T15:30:00Z'))).toBe(-0.5)
  })
})
