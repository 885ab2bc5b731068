import { z } from '@hono/zod-openapi'

const Origin = z
  .string()
  .max(512)
  .refine((value) => {
    try {
      const url = new URL(value)
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value
    } catch {
      return false
    }
  }, 'must be an origin such as https://shop.example (scheme, host and port only)')

export const NewSourceSchema = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: 'Web shop' }),
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
