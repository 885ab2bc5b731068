import { StratumError } from '../errors'

/**
 * The two assumptions of the ROI model (collector/docs/roi-model.md): the
 * share of a tenant's real conversions an ad platform can match to a person,
 * and so attribute to an ad, at EMQ 0 and at EMQ 100. In between it is linear.
 */
export interface RoiAssumptions {
  /** Matched share at EMQ 0: cookie, click id and IP + user agent still match some events. */
  matchRateAtZero: number
  /** Matched share at EMQ 100: some people have no account on the platform, or use another email there. */
  matchRateAtHundred: number
}

/** What the calculator is given: the tenant's figures as the ad platform reports them today. */
export interface RoiInput {
  /** Monthly ad spend, in the tenant's currency. */
  adSpend: number
  /** Conversions per month the ad platform attributes today, at `currentEmq`. */
  conversions: number
  averageOrderValue: number
  /** 0–100; the console prefills the tenant's 7-day mean. */
  currentEmq: number
  /** 0–100. */
  targetEmq: number
  /** Defaults: {@link DEFAULT_ROI_ASSUMPTIONS}. */
  assumptions?: Partial<RoiAssumptions>
}

/** The month the platform reports at one EMQ, with the same spend and the same real conversions. */
export interface RoiScenario {
  emq: number
  matchRate: number
  attributedConversions: number
  attributedRevenue: number
  /** Attributed revenue per unit of spend; null without spend. */
  roas: number | null
  /** Spend per attributed conversion; null without conversions. */
  costPerConversion: number | null
}

/** The current month, the projected one at the target EMQ, and the difference. */
export interface RoiProjection {
  current: RoiScenario
  target: RoiScenario
  change: {
    attributedConversions: number
    /** Relative change; null when nothing is attributed today. */
    attributedConversionsPercent: number | null
    attributedRevenue: number
    roas: number | null
  }
  assumptions: RoiAssumptions
}

export const DEFAULT_ROI_ASSUMPTIONS: Readonly<RoiAssumptions> = { matchRateAtZero: 0.3, matchRateAtHundred: 0.9 }

/**
 * Projects what raising (or losing) signal health does to the conversions an
 * ad platform attributes, the revenue behind them and ROAS, with spend held
 * constant. Pure and deterministic: the console page and `GET /roi` run this
 * same function. The model and where each assumption comes from:
 * collector/docs/roi-model.md.
 *
 * @example
 * const p = projectRoi({ adSpend: 10_000, conversions: 200, averageOrderValue: 80, currentEmq: 45, targetEmq: 85 })
 * p.change.attributedConversions // 84.2…: 200 × m(85) / m(45) − 200, with m(e) = 0.3 + 0.6 × e / 100
 * p.target.roas // 2.27…, against 1.6 today
 */
export function projectRoi(input: RoiInput): RoiProjection {
  const assumptions = { ...DEFAULT_ROI_ASSUMPTIONS, ...input.assumptions }
  checkInput(input, assumptions)
  const matchRate = (emq: number) =>
    assumptions.matchRateAtZero + ((assumptions.matchRateAtHundred - assumptions.matchRateAtZero) * emq) / 100
  // What the platform reports is the matched share of the real conversions: the real ones stay the same.
  const realConversions = input.conversions / matchRate(input.currentEmq)
  const scenario = (emq: number): RoiScenario => {
    const attributedConversions = realConversions * matchRate(emq)
    const attributedRevenue = attributedConversions * input.averageOrderValue
    return {
      emq,
      matchRate: matchRate(emq),
      attributedConversions,
      attributedRevenue,
      roas: input.adSpend > 0 ? attributedRevenue / input.adSpend : null,
      costPerConversion: attributedConversions > 0 ? input.adSpend / attributedConversions : null,
    }
  }
  const current = scenario(input.currentEmq)
  const target = scenario(input.targetEmq)
  return {
    current,
    target,
    change: {
      attributedConversions: target.attributedConversions - current.attributedConversions,
      attributedConversionsPercent:
        current.attributedConversions > 0 ? (target.attributedConversions / current.attributedConversions - 1) * 100 : null,
      attributedRevenue: target.attributedRevenue - current.attributedRevenue,
      roas: current.roas === null || target.roas === null ? null : target.roas - current.roas,
    },
    assumptions,
  }
}

/** The bounds each input must keep; the API's schema and the page's fields use the same ones. */
export const ROI_INPUT_BOUNDS = {
  adSpend: { min: 0, max: 1e12 },
  conversions: { min: 0, max: 1e9 },
  averageOrderValue: { min: 0, max: 1e9 },
  currentEmq: { min: 0, max: 100 },
  targetEmq: { min: 0, max: 100 },
} as const satisfies Record<keyof Omit<RoiInput, 'assumptions'>, { min: number; max: number }>

function checkInput(input: RoiInput, assumptions: RoiAssumptions) {
  const details = Object.entries(ROI_INPUT_BOUNDS).flatMap(([field, { min, max }]) => {
    const value = input[field as keyof typeof ROI_INPUT_BOUNDS]
    return Number.isFinite(value) && value >= min && value <= max
      ? []
      : [{ path: field, code: 'out_of_range', message: `${field} must be a number from ${min} to ${max}` }]
  })
  const { matchRateAtZero: low, matchRateAtHundred: high } = assumptions
  // A match rate of 0 at the current EMQ would make every real conversion unobservable.
  if (!(Number.isFinite(low) && Number.isFinite(high) && low > 0 && low <= high && high <= 1)) {
    details.push({ path: 'assumptions', code: 'out_of_range', message: 'match rates must satisfy 0 < at zero ≤ at hundred ≤ 1' })
  }
  if (details.length > 0) throw new StratumError(400, 'invalid_roi_input', 'The ROI inputs are out of range', details)
}
