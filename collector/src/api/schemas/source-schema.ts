import { z } from '@hono/zod-openapi'
import { StorableString } from '../../ingest/storable-string'

/**
 * An origin as browsers send it in `Origin`: scheme, host and port. A pasted
 * `https://Shop.Example/` is normalised to `https://shop.example` (browsers
 * send lowercase, punycode hosts and no path), since the allow-list is
 * compared exactly; a path, query, fragment or credentials are refused.
 */
const Origin = StorableString.max(512)
  .transform((value, ctx) => {
    const url = URL.canParse(value) ? new URL(value) : undefined
    const bare = url && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password
    if (!bare || (url.protocol !== 'https:' && url.protocol !== 'http:') || value.includes('?') || value.includes('#')) {
      ctx.addIssue({ code: 'custom', message: 'must be an origin such as https://shop.example (scheme, host and port only)' })
      return z.NEVER
    }
    return url.origin
  })

const SourceName = StorableString.trim().min(1).max(200).openapi({ example: 'Web shop' })

const AllowedOrigins = z.array(Origin).max(100).openapi({
  description: 'Origins allowed to use the public key; empty: any origin. Not for `server` and `crm` sources, whose key never works from a browser',
  example: ['https://shop.example'],
})

const RequiresMarketingConsent = z.boolean().openapi({
  description:
    "Deliver this source's events to destinations only with a marketing grant: the event's own `consent.marketing: true`, or a recorded grant of the person (Trust Engine)",
})

/** Why a `server` or `crm` source takes no allowed origins. */
export const NO_ORIGINS_FOR_SECRET_KEYS = 'a server or crm source has a secret key, which never works from a browser: it takes no origins'

export const NewSourceSchema = z
  .object({
    name: SourceName,
    source_type: z.enum(['website', 'server', 'crm', 'mobile']).openapi({
      description: '`website` and `mobile` get a public key (browser trust); `server` and `crm` a secret key (server trust)',
    }),
    allowed_origins: AllowedOrigins.default([]),
    requires_marketing_consent: RequiresMarketingConsent.default(false),
  })
  .strict()
  .refine((s) => s.allowed_origins.length === 0 || (s.source_type !== 'server' && s.source_type !== 'crm'), {
    path: ['allowed_origins'],
    message: NO_ORIGINS_FOR_SECRET_KEYS,
  })
  .openapi('NewSource')

/**
 * Body of `PATCH /sources/{id}`: only the fields to change, each validated
 * as when the source is created. The type and the key do not change here.
 *
 * @example
 * SourcePatchSchema.parse({ allowed_origins: ['https://Shop.Example/'] }) // { allowed_origins: ['https://shop.example'] }
 */
export const SourcePatchSchema = z
  .object({
    name: SourceName.optional(),
    allowed_origins: AllowedOrigins.optional(),
    requires_marketing_consent: RequiresMarketingConsent.optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'give at least one field to change' })
  .openapi('SourcePatch')

export const SourceSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    source_type: z.string(),
    trust: z.enum(['browser', 'server']).openapi({
      description: "The trust the source's key carries: `browser` for a public key, `server` for a secret key",
    }),
    source_key: z.string().nullable().openapi({
      description:
        'A public key (`sk_…`, browser trust) is always shown. A secret key (`ssk_…`, server trust) is shown only when it is created or rotated, and is `null` afterwards: store it then',
    }),
    allowed_origins: z.array(z.string()),
    requires_marketing_consent: z.boolean(),
    created_at: z.string(),
  })
  .openapi('Source')

export const SourceIdParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '0b0a8f3e-2f7a-4a8e-9d6c-3b1d2c4e5f60' }),
})
