import { EMQ_BAND_AUTOMATION, emqBand } from './bands'
import { scoreContextRichness } from './score-context-richness'
import { scoreDataCompleteness } from './score-data-completeness'
import { hasUsableMatchKey, scoreIdentifierQuality } from './score-identifier-quality'
import { isClockSkew, lagSeconds, scoreTimeliness } from './score-timeliness'
import type { EmqFlag, EmqInput, EmqResult } from './types'

/**
 * Highest EMQ an event can reach without a usable email, phone, external_id,
 * click id or browser id: it stays Poor (manual) because an ad platform has
 * nothing to match it on, however complete, fresh and rich it is otherwise.
 *
 * @example
 * EMQ_CAP_WITHOUT_MATCH_KEY // 39
 */
export const EMQ_CAP_WITHOUT_MATCH_KEY = 39

/** Half-up rounding to `digits` decimals (scores are never negative). */
function round(value: number, digits: 1 | 2): number {
  const factor = digits === 1 ? 10 : 100
  return Math.round(value * factor) / factor
}

/**
 * EMQ of one event (collector/docs/emq.md): IQ (≤ 40) + DC (≤ 25) + T (≤ 20) + CR (≤ 15),
 * capped at 39 without a usable match key, rounded to one decimal at the end.
 * The band is taken from the rounded score, so it always agrees with the
 * stored value. The breakdown holds the uncapped factors, each rounded to two
 * decimals — it explains the score, it need not sum to it exactly.
 *
 * Flags: `clock_skew` when the event time is > 5 min after receipt; `capped`
 * only when the cap actually lowered the total.
 *
 * @example
 * scoreEmq({
 *   eventName: 'PageView', eventId: 'e1', actionSource: 'website',
 *   identifiers: [{ type: 'email', status: 'valid' }],
 *   userData: {}, properties: {}, context: { page: { url: 'https://shop.example/' } },
 *   eventTime: new Date('2026-01-13T15:30:00Z'), receivedAt: new Date('2026-01-13T15:30:02Z'),
 * })
 * // { score: 61.4, band: 'good', automation: 'partial',
 * //   breakdown: { iq: 24.44, dc: 15, t: 20, cr: 2 }, flags: [] }
 */
export function scoreEmq(input: EmqInput): EmqResult {
  const clickIds = input.context.clickIds
  const iq = scoreIdentifierQuality(input.identifiers, clickIds)
  const dc = scoreDataCompleteness(input)
  const lag = lagSeconds(input.eventTime, input.receivedAt)
  const t = scoreTimeliness(lag)
  const cr = scoreContextRichness(input)

  const flags: EmqFlag[] = []
  if (isClockSkew(lag)) flags.push('clock_skew')

  let total = iq + dc + t + cr
  // The match-key scan only runs when the cap could bite.
  if (total > EMQ_CAP_WITHOUT_MATCH_KEY && !hasUsableMatchKey(input.identifiers, clickIds)) {
    total = EMQ_CAP_WITHOUT_MATCH_KEY
    flags.push('capped')
  }

  const score = round(total, 1)
  const band = emqBand(score)
  return {
    score,
    band,
    automation: EMQ_BAND_AUTOMATION[band],
    breakdown: { iq: round(iq, 2), dc: round(dc, 2), t: round(t, 2), cr: round(cr, 2) },
    flags,
  }
}
