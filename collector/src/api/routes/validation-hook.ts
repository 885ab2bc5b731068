import type { Hook } from '@hono/zod-openapi'
import { StratumError } from '../../errors'
import type { AppEnv } from '../../http/app-env'
import { issueDetails } from '../../issue-details'

/**
 * zod-openapi's hook for failed request validation: a 400 in the API's
 * error shape, one detail per issue.
 *
 * @example
 * new OpenAPIHono({ defaultHook: validationHook })
 */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (result.success) return
  throw new StratumError(
    400,
    'invalid_request',
    `Invalid ${result.target}`,
    issueDetails(result.error.issues),
  )
}
