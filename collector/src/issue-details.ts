import type { ErrorDetail } from './errors'

/**
 * Zod's validation issues as an error's `details`: where (a dotted path),
 * which check, and its message — never the offending value.
 *
 * @example
 * throw new StratumError(400, 'invalid_request', 'Bad body', issueDetails(parsed.error.issues))
 */
export function issueDetails(issues: ReadonlyArray<{ path: PropertyKey[]; code: string; message: string }>): ErrorDetail[] {
  return issues.map((i) => ({ path: i.path.map(String).join('.'), code: i.code, message: i.message }))
}
