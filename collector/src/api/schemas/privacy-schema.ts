import { z } from '@hono/zod-openapi'
import { IdentifierSchema } from '../../ingest/event-contract'
import { IdentifierQuery } from './profile-schema'
import { StorableString } from '../../ingest/storable-string'

/** `analytics`, `marketing`, `personalization`, or a custom purpose in snake_case. */
const PurposeName = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'a purpose is snake_case, at most 64 characters')

export const ConsentRequestSchema = z
  .object({
    identifiers: z.array(IdentifierSchema).min(1).max(50),
    purposes: z
      .record(PurposeName, z.boolean())
      .refine((p) => Object.keys(p).length >= 1 && Object.keys(p).length <= 32, 'give 1 to 32 purposes')
      .openapi({ example: { analytics: true, marketing: false, personalization: true } }),
    policy_version: StorableString.min(1).max(64).optional().openapi({ example: '2026-01' }),
  })
  .strict()
  .openapi('ConsentRequest')

export const ConsentResultSchema = z
  .object({
    status: z.enum(['recorded', 'suppressed']).openapi({ description: '`suppressed`: an identifier was erased; nothing was recorded' }),
    profile_id: z.uuid().nullable(),
    recorded_at: z.string(),
    purposes: z.record(z.string(), z.boolean()),
    warnings: z.array(z.string()).optional(),
  })
  .openapi('ConsentResult')

const ConsentEntry = z.object({
  granted: z.boolean(),
  recorded_at: z.string(),
  policy_version: z.string().nullable(),
  source_id: z.uuid().nullable(),
})

export const ConsentViewSchema = z
  .object({
    profile_id: z.uuid(),
    requested_id: z.uuid().optional(),
    merged: z.boolean(),
    state: z.record(z.string(), ConsentEntry).openapi({ description: 'Current state per purpose: the latest record' }),
    history: z
      .array(ConsentEntry.extend({ purpose: z.string(), profile_id: z.uuid() }))
      .openapi({ description: 'Newest first (at most 1000), including profiles merged into this one' }),
  })
  .openapi('Consent')

/** The same identifier as a profile lookup takes, in a JSON body. */
export const ErasureRequestSchema = IdentifierQuery.strict().openapi('ErasureRequest')

export const ErasureResultSchema = z
  .object({
    erasure_id: z.uuid(),
    request_hash: z.string().openapi({ description: 'SHA-256 of tenant, type and identifier hash: the audit key, no PII' }),
    counts: z.object({
      profiles: z.number().int(),
      events: z.number().int(),
      event_keys: z.number().int(),
      deliveries: z.number().int(),
      identifiers: z.number().int(),
      identifier_links: z.number().int(),
      sessions: z.number().int(),
      consents: z.number().int(),
      merges: z.number().int(),
      suppressions_added: z.number().int(),
    }),
  })
  .openapi('ErasureResult')
