import { z } from '@hono/zod-openapi'

const Level = z.enum(['full', 'partial', 'limited', 'manual'])

export const TrustReportSchema = z
  .object({
    generated_at: z.string(),
    window: z.literal('24h'),
    sources: z.array(
      z.object({
        source_id: z.string().nullable().openapi({ description: 'null: events sent with a JWT, the tenant’s server signal' }),
        name: z.string(),
        events: z.number().int(),
        mean_emq: z.number().nullable(),
        band: z.enum(['excellent', 'good', 'fair', 'poor']).nullable(),
        level: Level.openapi({ description: "The band table's level for this source" }),
        reasons: z.array(z.string()).openapi({ description: 'Why the level is what it is, and what would raise it most' }),
        destinations: z.array(
          z.object({
            destination_id: z.uuid(),
            name: z.string(),
            enabled: z.boolean(),
            level: Level.openapi({ description: "The level the destination applies: the table's, made stricter by its policy, or its override" }),
            override: z.boolean(),
            pending: z.number().int(),
            held: z.number().int(),
            delivered: z.number().int(),
            dead: z.number().int(),
            suppressed: z.number().int(),
            discarded: z.number().int(),
            expired: z.number().int(),
            held_reasons: z.record(z.string(), z.number().int()),
          }),
        ),
      }),
    ),
  })
  .openapi('TrustReport')
