import { z } from '@hono/zod-openapi'

/** The one error body of every non-2xx response. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_envelope' }),
      message: z.string(),
      details: z.array(
        z.object({
          path: z.string().optional(),
          code: z.string().optional(),
          message: z.string(),
          index: z.number().int().optional(),
        }),
      ),
    }),
  })
  .openapi('Error')

/** OpenAPI response entries for the error statuses a route can answer. */
export function errorResponses(...statuses: number[]) {
  const text: Record<number, string> = {
    400: 'Invalid request',
    401: 'Missing or invalid credentials',
    403: 'Scope, origin or tenant mismatch',
    404: 'Not found',
    413: 'Body too large',
    415: 'Unsupported content type',
    429: 'Too many requests (see Retry-After)',
    503: 'Storage unavailable (see Retry-After)',
  }
  return Object.fromEntries(
    statuses.map((s) => [s, { description: text[s] ?? 'Error', content: { 'application/json': { schema: ErrorSchema } } }]),
  )
}
