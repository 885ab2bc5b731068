import { randomBytes } from 'node:crypto'
import type { z } from '@hono/zod-openapi'
import { type Destination, type DestinationInput, openConfig, SECRET_FIELD } from '../../destinations/destination-store'
import type { DestinationPolicy } from '../../destinations/policy'
import type { SecretBox } from '../../destinations/secret-box'
import { StratumError } from '../../errors'
import {
  type DestinationPatchSchema,
  MetaCapiConfigSchema,
  type NewDestinationSchema,
  WebhookConfigSchema,
} from '../schemas/destination-schema'

type NewDestination = z.infer<typeof NewDestinationSchema>
type DestinationPatch = z.infer<typeof DestinationPatchSchema>

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
const generateWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`

/**
 * A validated `POST /destinations` body as the store takes it. A webhook
 * without a secret gets one, returned as `generated` to be answered once.
 *
 * @example
 * const { input, generated } = destinationInput(body, auth.subject)
 */
export function destinationInput(body: NewDestination, changedBy: string | undefined) {
  const config: Record<string, string> = { ...body.config }
  const generated = body.type === 'webhook' && !body.config.secret ? generateWebhookSecret() : undefined
  if (generated) config.secret = generated
  const input: DestinationInput = {
    name: body.name,
    type: body.type,
    enabled: body.enabled,
    config,
    eventNames: body.filters.event_names ?? null,
    sourceIds: body.filters.source_ids?.map((id) => id.toLowerCase()) ?? null,
    policy: body.policy,
    changedBy,
  }
  return { input, generated }
}

/**
 * A destination with a `PATCH` applied: config keys merge into the current
 * config (secret included; a key set to null is removed) and the result must
 * still be a valid config of the destination's type; filters and policy are
 * replaced when given.
 *
 * @example
 * const input = patchedInput(current, { enabled: false }, box, auth.subject)
 */
export function patchedInput(current: Destination, patch: DestinationPatch, box: SecretBox, changedBy: string | undefined): DestinationInput {
  const schema = current.type === 'meta_capi' ? MetaCapiConfigSchema : WebhookConfigSchema
  // A key set to null is removed (e.g. `test_event_code` before going live).
  const config: Record<string, unknown> = { ...openConfig(current, box), ...patch.config }
  for (const [key, value] of Object.entries(config)) if (value === null) delete config[key]
  const merged = schema.safeParse(config)
  if (!merged.success) {
    throw new StratumError(
      400,
      'invalid_request',
      'Invalid json',
      merged.error.issues.map((i) => ({ path: ['config', ...i.path].join('.'), code: i.code, message: i.message })),
    )
  }
  const filters = patch.filters
  return {
    name: patch.name ?? current.name,
    type: current.type,
    enabled: patch.enabled ?? current.enabled,
    config: merged.data as Record<string, string>,
    eventNames: filters ? (filters.event_names ?? null) : current.event_names,
    sourceIds: filters ? (filters.source_ids?.map((id) => id.toLowerCase()) ?? null) : current.source_ids,
    policy: patch.policy ?? (current.policy as DestinationPolicy),
    changedBy,
  }
}

/**
 * A destination as the API shows it: never its secret, except a webhook
 * secret the collector just generated (`generated`), shown this once.
 *
 * @example
 * c.json(destinationView(destination), 200)
 */
export function destinationView(d: Destination, generated?: string) {
  return {
    id: d.id,
    name: d.name,
    type: d.type,
    enabled: d.enabled,
    config: generated ? { ...d.config, [SECRET_FIELD.webhook]: generated } : d.config,
    filters: { event_names: d.event_names, source_ids: d.source_ids },
    policy: d.policy,
    override: d.override_at ? { set_by: d.override_by, set_at: d.override_at.toISOString() } : null,
    circuit: { failures: d.failures, open_until: d.circuit_open_until?.toISOString() ?? null },
    created_at: d.created_at.toISOString(),
    updated_at: d.updated_at.toISOString(),
  }
}
