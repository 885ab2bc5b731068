import { z } from '@hono/zod-openapi'
import { SCOPES } from '../../auth/scopes'

/**
 * Body of `GET /me`: who the credential is.
 *
 * @example
 * const me: z.infer<typeof MeSchema> = await (await fetch('/api/v1/cdp/me', { headers })).json()
 */
export const MeSchema = z
  .object({
    tenant_id: z.uuid(),
    tenant_name: z.string().nullable().openapi({ example: 'tenant' }),
    scopes: z.array(z.enum(SCOPES)).openapi({ description: 'What the credential may do (`admin` carries every scope)', example: ['profiles:read'] }),
    via: z.enum(['jwt', 'source_key', 'secret_key']).openapi({ description: 'A JWT, a public source key, or a secret key' }),
    trust: z.enum(['browser', 'server']).openapi({ description: '`browser` for a public source key, `server` for a JWT or a secret key' }),
    source_id: z.uuid().nullable().openapi({ description: 'The source a source key belongs to; null for a JWT' }),
    subject: z.string().nullable().openapi({ description: "The JWT's `sub`; null without one" }),
    expires_at: z.string().nullable().openapi({ description: "The JWT's `exp` as an ISO time; null for a source key, which does not expire" }),
  })
  .openapi('Me')
