import { z } from '@hono/zod-openapi'
import { unstorableReason } from '../db/storable'

/**
 * A string PostgreSQL can store as sent: no NUL character, no lone UTF-16
 * surrogate. Every schema of a route that stores or looks up a client's
 * string builds on it, so such input is a 400 rather than a database error.
 * The message names the problem, never the value.
 *
 * @example
 * const Name = StorableString.trim().min(1).max(200)
 * Name.safeParse('Shop \ud83d').success // false
 */
export const StorableString = z.string().superRefine((value, ctx) => {
  const reason = unstorableReason(value)
  if (reason) ctx.addIssue({ code: 'custom', message: `must not hold ${reason}` })
})

