import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { projectRoi } from '../../roi/project-roi'
import { createTestApp, newTenant, type TestApp } from '../../testing/test-app'

const ROI = '/api/v1/cdp/roi'
const INPUT = 'ad_spend=10000&conversions=200&average_order_value=80&target_emq=85'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

/** Sends events as a backend and returns their scores. */
async function scoresOf(token: string, events: Record<string, unknown>[]) {
  const res = await t.call('POST', '/api/v1/cdp/events', { token, body: { events: events.map((e) => ({ event_time: new Date().toISOString(), ...e })) } })
  expect(res.status).toBe(200)
  return res.body.events.map((e: { emq: number }) => e.emq) as number[]
}

describe('GET /roi', () => {
  it("answers projectRoi's projection in snake case for the given EMQ", async () => {
    const res = await t.call('GET', `${ROI}?${INPUT}&current_emq=45`, { token: await t.token(newTenant(), ['profiles:read']) })
    expect(res.status).toBe(200)
    const p = projectRoi({ adSpend: 10_000, conversions: 200, averageOrderValue: 80, currentEmq: 45, targetEmq: 85 })
    expect(res.body).toEqual({
      current: {
        emq: 45,
        match_rate: p.current.matchRate,
        attributed_conversions: p.current.attributedConversions,
        attributed_revenue: p.current.attributedRevenue,
        roas: p.current.roas,
        cost_per_conversion: p.current.costPerConversion,
      },
      target: {
        emq: 85,
        match_rate: p.target.matchRate,
        attributed_conversions: p.target.attributedConversions,
        attributed_revenue: p.target.attributedRevenue,
        roas: p.target.roas,
        cost_per_conversion: p.target.costPerConversion,
      },
      change: {
        attributed_conversions: p.change.attributedConversions,
        attributed_conversions_percent: p.change.attributedConversionsPercent,
        attributed_revenue: p.change.attributedRevenue,
        roas: p.change.roas,
      },
      assumptions: { match_rate_at_zero: 0.3, match_rate_at_hundred: 0.9 },
      current_emq_source: 'query',
    })
    // The model's own worked example (collector/docs/roi-model.md): 200 × m(85) / m(45) − 200.
    expect(res.body.change.attributed_conversions).toBeCloseTo((200 * (0.3 + 0.6 * 0.85)) / (0.3 + 0.6 * 0.45) - 200, 9)
    expect(res.body.current.roas).toBeCloseTo(1.6, 9)
  })

  it("defaults current_emq to the tenant's 7-day mean, its own only", async () => {
    const tenant = newTenant()
    const scores = await scoresOf(await t.token(tenant), [
      { event_name: 'Purchase', identifiers: [{ type: 'email', value: 'ann@shop.io' }], properties: { value: 10, currency: 'EUR' } },
      { event_name: 'PageView', identifiers: [{ type: 'anonymous_id', value: 'a-1' }] },
    ])
    const mean = Math.round((scores.reduce((sum, s) => sum + Math.round(s * 10), 0) / (10 * scores.length)) * 100) / 100
    const res = await t.call('GET', `${ROI}?${INPUT}&match_rate_at_zero=0.2`, { token: await t.token(tenant, ['profiles:read']) })
    expect(res.status).toBe(200)
    expect(res.body.current.emq).toBe(mean)
    expect(res.body.current_emq_source).toBe('tenant_7d_mean')
    expect(res.body.assumptions).toEqual({ match_rate_at_zero: 0.2, match_rate_at_hundred: 0.9 })

    // Another tenant, without events, has no current EMQ to default to.
    const empty = await t.call('GET', `${ROI}?${INPUT}`, { token: await t.token(newTenant(), ['profiles:read']) })
    expect(empty.status).toBe(400)
    expect(empty.body.error.code).toBe('no_current_emq')
  })

  it('refuses inputs out of range', async () => {
    const token = await t.token(newTenant(), ['profiles:read'])
    for (const query of [
      'conversions=200&average_order_value=80&target_emq=85&current_emq=45',
      `${INPUT}&current_emq=101`,
      `${INPUT.replace('ad_spend=10000', 'ad_spend=')}&current_emq=45`,
      `${INPUT.replace('ad_spend=10000', 'ad_spend=-1')}&current_emq=45`,
      `${INPUT.replace('target_emq=85', 'target_emq=abc')}&current_emq=45`,
      `${INPUT}&current_emq=1e400`,
    ]) {
      const res = await t.call('GET', `${ROI}?${query}`, { token })
      expect(res.status, query).toBe(400)
      expect(res.body.error.code).toBe('invalid_request')
    }
    // Rates the model cannot use: it answers its own error.
    const inverted = await t.call('GET', `${ROI}?${INPUT}&current_emq=45&match_rate_at_zero=0.9&match_rate_at_hundred=0.5`, { token })
    expect(inverted.status).toBe(400)
    expect(inverted.body.error.code).toBe('invalid_roi_input')
  })

  it('needs profiles:read', async () => {
    expect((await t.call('GET', `${ROI}?${INPUT}&current_emq=45`)).status).toBe(401)
    const writer = await t.call('GET', `${ROI}?${INPUT}&current_emq=45`, { token: await t.token(newTenant(), ['events:write']) })
    expect(writer.status).toBe(403)
  })
})
