import { z } from '@hono/zod-openapi'
import { AUTOMATION_LEVELS } from '../../destinations/policy'
import { StorableString } from '../../ingest/storable-string'

const HttpUrl = StorableString.max(2048).refine((value) => {
  const url = URL.canParse(value) ? new URL(value) : undefined
  return url !== undefined && (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password
}, 'must be an http(s) URL without credentials')

/** Standard Webhooks secrets: `whsec_` and the base64 of 24 to 64 random bytes. */
const WebhookSecret = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'must be "whsec_" followed by base64')
  .refine((s) => {
    const bytes = Buffer.from(s.slice('whsec_'.length), 'base64').length
    return bytes >= 24 && bytes <= 64
  }, 'must hold 24 to 64 bytes')

export const MetaCapiConfigSchema = z
  .object({
    pixel_id: z.string().regex(/^\d{1,32}$/, 'must be the numeric pixel (dataset) id'),
    access_token: StorableString.min(1).max(1024),
    api_version: z.string().regex(/^v\d+\.\d+$/, 'must look like v25.0').default('v25.0'),
    api_base_url: HttpUrl.default('https://graph.facebook.com'),
    test_event_code: StorableString.min(1).max(64).optional(),
  })
  .strict()
  .openapi('MetaCapiConfig', { description: '`access_token` is encrypted at rest and never returned' })

export const WebhookConfigSchema = z
  .object({
    url: HttpUrl,
    secret: WebhookSecret.optional().openapi({
      description: 'Standard Webhooks signing secret (`whsec_…`); generated and answered once when absent. Encrypted at rest, never returned afterwards',
    }),
  })
  .strict()
  .openapi('WebhookConfig')

const Level = z.enum(AUTOMATION_LEVELS)

export const PolicySchema = z
  .object({
    min_event_emq: z.number().min(0).max(100).optional().openapi({ description: 'Hold events whose own EMQ is below this' }),
    min_level: Level.optional().openapi({ description: "Hold every event while the source's level is below this" }),
    level: Level.optional().openapi({ description: "Use this level instead of the band table's; needs `override: true`" }),
    override: z.boolean().optional().openapi({ description: 'Allow `level` to be looser than the table; recorded with its author' }),
  })
  .strict()
  .refine((p) => p.level === undefined || p.override === true, {
    path: ['level'],
    message: "a level replaces the band table's and may be looser: it needs override: true",
  })
  .refine((p) => !p.override || p.level !== undefined, { path: ['override'], message: 'an override needs the level it sets' })
  .openapi('DestinationPolicy')

export const FiltersSchema = z
  .object({
    event_names: z.array(z.string().regex(/^[A-Z][A-Za-z0-9]*$/).max(128)).min(1).max(100).optional(),
    source_ids: z
      .array(z.union([z.uuid(), z.literal('server')]))
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: 'Source ids; `server` for events sent with a JWT' }),
  })
  .strict()
  .openapi('DestinationFilters')

const common = {
  name: StorableString.trim().min(1).max(200),
  enabled: z.boolean().default(true),
  policy: PolicySchema.default({}),
  filters: FiltersSchema.default({}),
}

export const NewDestinationSchema = z
  .discriminatedUnion('type', [
    z.object({ ...common, type: z.literal('meta_capi'), config: MetaCapiConfigSchema }).strict(),
    z.object({ ...common, type: z.literal('webhook'), config: WebhookConfigSchema }).strict(),
  ])
  .openapi('NewDestination')

export const DestinationPatchSchema = z
  .object({
    name: common.name.optional(),
    enabled: z.boolean().optional(),
    policy: PolicySchema.optional(),
    filters: FiltersSchema.optional(),
    config: z.record(z.string(), z.unknown()).optional().openapi({ description: 'Keys to change (null removes an optional one); the result must be a valid config of the type' }),
  })
  .strict()
  .openapi('DestinationPatch')

export const DestinationSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    type: z.enum(['meta_capi', 'webhook']),
    enabled: z.boolean(),
    config: z.record(z.string(), z.string()).openapi({ description: 'Without its secret, except a generated webhook secret in the creation answer' }),
    filters: z.object({ event_names: z.array(z.string()).nullable(), source_ids: z.array(z.string()).nullable() }),
    policy: z.record(z.string(), z.unknown()),
    override: z.object({ set_by: z.string().nullable(), set_at: z.string() }).nullable(),
    circuit: z.object({ failures: z.number().int(), open_until: z.string().nullable() }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Destination')

export const DestinationIdParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '0b0a8f3e-2f7a-4a8e-9d6c-3b1d2c4e5f60' }),
})
