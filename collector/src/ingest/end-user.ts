import ipaddr from 'ipaddr.js'
import type { AuthContext } from '../auth/scopes'
import type { PreparedEvent } from './prepare-event'
import type { RequestFacts } from './request-facts'

/** The end user's IP and user agent, as far as the trust boundary lets the collector know them. */
export interface EndUser {
  clientIp: string | undefined
  userAgent: string | undefined
}

/**
 * Whose IP and user agent an event carries. A browser's come from the
 * connection and headers, never from its body. A backend's connection says
 * nothing about the end user, so a server-trust caller (JWT or secret key)
 * may relay the end user's in `context.ip` and `context.user_agent` (as ad
 * platforms' server-side APIs allow) and otherwise has none.
 *
 * @example
 * const { clientIp, userAgent } = endUserOf(auth, event, facts)
 */
export function endUserOf(auth: AuthContext, event: PreparedEvent, facts: RequestFacts): EndUser {
  if (auth.trust === 'browser') return { clientIp: facts.clientIp, userAgent: facts.userAgent }
  const ip = event.context.ip
  // An IPv6 zone (`fe80::1%eth0`) parses, but PostgreSQL's inet refuses it.
  const usable = typeof ip === 'string' && ipaddr.isValid(ip) && !ip.includes('%')
  return {
    clientIp: usable ? ipaddr.parse(ip).toString() : undefined,
    userAgent: event.context.user_agent,
  }
}
