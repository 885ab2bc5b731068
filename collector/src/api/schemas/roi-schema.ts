import { z } from '@hono/zod-openapi'
import { ROI_INPUT_BOUNDS } from '../../roi/project-roi'

/** A number in a query string: not blank (which would read as 0), within `bounds`. */
const QueryNumber = (bounds: { min: number; max: number }) => z.string().trim().min(1).pipe(z.coerce.number<string>().min(bounds.min).max(bounds.max))

/**
 * Query of `GET /roi`: the inputs of `projectRoi` (collector/docs/roi-model.md) in snake case.
 *
 * @example
 * RoiQuery.parse({ ad_spend: '10000', conversions: '200', average_order_value: '80', target_emq: '85' })
 */
export const RoiQuery = z.object({
  ad_spend: QueryNumber(ROI_INPUT_BOUNDS.adSpend).openapi({ description: 'Monthly ad spend, in your currency', example: '10000' }),
  conversions: QueryNumber(ROI_INPUT_BOUNDS.conversions).openapi({ description: 'Conversions per month the ad platform attributes today', example: '200' }),
  average_order_value: QueryNumber(ROI_INPUT_BOUNDS.averageOrderValue).openapi({ example: '80' }),
  current_emq: QueryNumber(ROI_INPUT_BOUNDS.currentEmq)
    .optional()
    .openapi({ description: "Today's EMQ, 0–100; default: the tenant's 7-day mean (400 `no_current_emq` without events)", example: '45' }),
  target_emq: QueryNumber(ROI_INPUT_BOUNDS.targetEmq).openapi({ description: 'The EMQ to project, 0–100', example: '85' }),
  match_rate_at_zero: QueryNumber({ min: 0, max: 1 }).optional().openapi({ description: 'Matched share at EMQ 0 (default 0.3)' }),
  match_rate_at_hundred: QueryNumber({ min: 0, max: 1 }).optional().openapi({ description: 'Matched share at EMQ 100 (default 0.9)' }),
})

const Scenario = z.object({
  emq: z.number(),
  match_rate: z.number(),
  attributed_conversions: z.number(),
  attributed_revenue: z.number(),
  roas: z.number().nullable().openapi({ description: 'Attributed revenue per unit of spend; null without spend' }),
  cost_per_conversion: z.number().nullable().openapi({ description: 'Spend per attributed conversion; null without conversions' }),
})

/**
 * Body of `GET /roi`: `projectRoi`'s projection in snake case.
 *
 * @example
 * const body: z.infer<typeof RoiProjectionSchema> = await (await fetch('/api/v1/cdp/roi?…', { headers })).json()
 */
export const RoiProjectionSchema = z
  .object({
    current: Scenario,
    target: Scenario,
    change: z.object({
      attributed_conversions: z.number(),
      attributed_conversions_percent: z.number().nullable().openapi({ description: 'null when nothing is attributed today' }),
      attributed_revenue: z.number(),
      roas: z.number().nullable(),
    }),
    assumptions: z.object({ match_rate_at_zero: z.number(), match_rate_at_hundred: z.number() }),
    current_emq_source: z.enum(['query', 'tenant_7d_mean']).openapi({ description: 'Where `current.emq` came from' }),
  })
  .openapi('RoiProjection')
