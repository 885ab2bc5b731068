import { describe, expect, it } from 'vitest'
import { StratumError } from '../errors'
import { DEFAULT_ROI_ASSUMPTIONS, projectRoi, type RoiInput } from './project-roi'

const base = { adSpend: 10_000, conversions: 200, averageOrderValue: 80, currentEmq: 45, targetEmq: 85 }

/** The error `projectRoi` throws for `input`, or undefined. */
function refusal(input: RoiInput): StratumError | undefined {
  try {
    projectRoi(input)
  } catch (error) {
    return error as StratumError
  }
}

describe('projectRoi', () => {
  it('scales attributed conversions by the ratio of match rates, spend held constant', () => {
    const p = projectRoi(base)
    // m(45) = 0.3 + 0.6 × 0.45 = 0.57; m(85) = 0.81.
    expect(p.current.matchRate).toBeCloseTo(0.57, 10)
    expect(p.target.matchRate).toBeCloseTo(0.81, 10)
    expect(p.current.attributedConversions).toBeCloseTo(200, 10)
    expect(p.target.attributedConversions).toBeCloseTo((200 * 0.81) / 0.57, 10)
    expect(p.change.attributedConversions).toBeCloseTo((200 * 0.81) / 0.57 - 200, 10)
    expect(p.change.attributedConversionsPercent).toBeCloseTo((0.81 / 0.57 - 1) * 100, 10)
  })

  it('derives revenue, ROAS and cost per conversion from the conversions', () => {
    const p = projectRoi(base)
    expect(p.current.attributedRevenue).toBeCloseTo(16_000, 8)
    expect(p.current.roas).toBeCloseTo(1.6, 10)
    expect(p.current.costPerConversion).toBeCloseTo(50, 10)
    expect(p.target.roas).toBeCloseTo((16_000 * 0.81) / 0.57 / 10_000, 10)
    expect(p.change.attributedRevenue).toBeCloseTo(p.change.attributedConversions * 80, 8)
    expect(p.change.roas).toBeCloseTo(p.target.roas! - 1.6, 10)
  })

  it('shows the loss when the target is below the current EMQ, and no change when equal', () => {
    expect(projectRoi({ ...base, targetEmq: 20 }).change.attributedConversions).toBeLessThan(0)
    const same = projectRoi({ ...base, targetEmq: 45 })
    expect(same.change.attributedConversions).toBe(0)
    expect(same.change.attributedConversionsPercent).toBe(0)
  })

  it('has no ROAS without spend and no percentage without conversions', () => {
    const noSpend = projectRoi({ ...base, adSpend: 0 })
    expect(noSpend.current.roas).toBeNull()
    expect(noSpend.change.roas).toBeNull()
    const none = projectRoi({ ...base, conversions: 0 })
    expect(none.change.attributedConversionsPercent).toBeNull()
    expect(none.current.costPerConversion).toBeNull()
    expect(none.change.attributedRevenue).toBe(0)
  })

  it('takes the assumptions it is given, and reports the ones it used', () => {
    expect(projectRoi(base).assumptions).toEqual(DEFAULT_ROI_ASSUMPTIONS)
    const flat = projectRoi({ ...base, assumptions: { matchRateAtZero: 0.5, matchRateAtHundred: 0.5 } })
    expect(flat.change.attributedConversions).toBe(0)
  })

  it('refuses inputs out of range, naming each field', () => {
    const error = refusal({ ...base, currentEmq: 101, adSpend: -1, conversions: Number.NaN })
    expect(error).toBeInstanceOf(StratumError)
    expect(error?.status).toBe(400)
    expect(error?.details.map((d) => d.path).sort()).toEqual(['adSpend', 'conversions', 'currentEmq'])
    for (const assumptions of [{ matchRateAtZero: 0 }, { matchRateAtZero: 0.9, matchRateAtHundred: 0.5 }]) {
      expect(refusal({ ...base, assumptions })?.details).toEqual([expect.objectContaining({ path: 'assumptions' })])
    }
  })
})
