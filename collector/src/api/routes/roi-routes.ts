import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { type Authenticator, authenticate } from '../../auth/authenticate'
import { withTenant } from '../../db/with-tenant'
import { loadWindowMeanEmq } from '../../emq/window-mean'
import { StratumError } from '../../errors'
import type { AppEnv } from '../../http/app-env'
import { projectRoi, type RoiProjection, type RoiScenario } from '../../roi/project-roi'
import { errorResponses } from '../schemas/error-schema'
import { RoiProjectionSchema, RoiQuery } from '../schemas/roi-schema'
import { validationHook } from './validation-hook'

const scenarioView = (s: RoiScenario) => ({
  emq: s.emq,
  match_rate: s.matchRate,
  attributed_conversions: s.attributedConversions,
  attributed_revenue: s.attributedRevenue,
  roas: s.roas,
  cost_per_conversion: s.costPerConversion,
})

/** `projectRoi`'s answer in the API's snake case. */
const projectionView = (p: RoiProjection) => ({
  current: scenarioView(p.current),
  target: scenarioView(p.target),
  change: {
    attributed_conversions: p.change.attributedConversions,
    attributed_conversions_percent: p.change.attributedConversionsPercent,
    attributed_revenue: p.change.attributedRevenue,
    roas: p.change.roas,
  },
  assumptions: { match_rate_at_zero: p.assumptions.matchRateAtZero, match_rate_at_hundred: p.assumptions.matchRateAtHundred },
})

/**
 * `GET /roi`: what a better (or worse) EMQ does to attributed conversions,
 * revenue and ROAS — `projectRoi` (collector/docs/roi-model.md), the same
 * function the console runs, with `current_emq` defaulting to the tenant's
 * 7-day mean.
 *
 * @example
 * app.route('/api/v1/cdp', roiRoutes(authenticator))
 */
export function roiRoutes(authenticator: Authenticator) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  app.use('/roi', authenticate(authenticator, { scope: 'profiles:read' }))
  app.openapi(
    createRoute({
      method: 'get',
      path: '/roi',
      operationId: 'projectRoi',
      tags: ['EMQ'],
      summary: 'Project what a target EMQ does to attributed conversions and ROAS',
      description:
        "Spend and real conversions held constant, the ad platform's matched share rises linearly with EMQ (collector/docs/roi-model.md). `current_emq` defaults to the tenant's 7-day mean EMQ; without any scored event in 7 days it must be given (400 `no_current_emq`).",
      security: [{ bearer: [] }],
      request: { query: RoiQuery },
      responses: {
        200: { description: 'The projection', content: { 'application/json': { schema: RoiProjectionSchema } } },
        ...errorResponses(400, 401, 403, 503),
      },
    }),
    async (c) => {
      const q = c.req.valid('query')
      const { tenantId } = c.get('auth')
      const currentEmq =
        q.current_emq ?? (await withTenant(c.get('services').db, tenantId, (trx) => loadWindowMeanEmq(trx, tenantId, '7d', new Date())))
      if (currentEmq === null) {
        throw new StratumError(400, 'no_current_emq', 'No scored event in the last 7 days: give current_emq')
      }
      const projection = projectRoi({
        adSpend: q.ad_spend,
        conversions: q.conversions,
        averageOrderValue: q.average_order_value,
        currentEmq,
        targetEmq: q.target_emq,
        // Only those given: an undefined key would hide its default.
        assumptions: {
          ...(q.match_rate_at_zero === undefined ? {} : { matchRateAtZero: q.match_rate_at_zero }),
          ...(q.match_rate_at_hundred === undefined ? {} : { matchRateAtHundred: q.match_rate_at_hundred }),
        },
      })
      return c.json({ ...projectionView(projection), current_emq_source: q.current_emq === undefined ? 'tenant_7d_mean' : 'query' } as const, 200)
    },
  )
  return app
}
