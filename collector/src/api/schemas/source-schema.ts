import { z } from '@hono/zod-openapi'
import { StorableString } from './storable-string'

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

export const NewSourceSchema = z
  .object({
    name: StorableString.trim().min(1).max(200).openapi({ example: 'Web shop' }),
    source_type: z.enum(['website', 'server', 'crm', 'mobile']),
    allowed_origins: z.array(Origin).max(100).default([]).openapi({
      description: 'Origins allowed to use the source key; empty: any origin',
      example: ['https://shop.example'],
    }),
  })
  .strict()
  .openapi('NewSource')

export const SourceSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    source_type: z.string(),
    source_key: z.string().openapi({ description: 'Public key for browser sources (X-Source-Key or ?source_key=)' }),
    allowed_origins: z.array(z.string()),
    created_at: z.string(),
  })
  .openapi('Source')
