import { createMiddleware } from 'hono/factory'
import ipaddr from 'ipaddr.js'
import type { RateLimit } from '../config'
import { StratumError } from '../errors'
import type { AppEnv } from './app-env'
import { clientIp, type ProxyMatcher } from './client-ip'
import { createTokenBuckets, type TokenBuckets } from './token-buckets'

/** The app's rate limiters: one set of token buckets per kind of key, in this process's memory. */
export interface RateLimits {
  clientIp: TokenBuckets
  sourceKey: TokenBuckets
  tenant: TokenBuckets
  trustedProxies: ProxyMatcher
}

/**
 * Builds the app's rate limiters from the configuration
 * (collector/docs/limits.md, "Rate limits").
 *
 * @example
 * const rateLimits = createRateLimits(config.rateLimits, createProxyMatcher(config.trustedProxies))
 */
export function createRateLimits(
  limits: { clientIp: RateLimit; sourceKey: RateLimit; tenant: RateLimit },
  trustedProxies: ProxyMatcher,
): RateLimits {
  return {
    clientIp: createTokenBuckets(limits.clientIp),
    sourceKey: createTokenBuckets(limits.sourceKey),
    tenant: createTokenBuckets(limits.tenant),
    trustedProxies,
  }
}

const tooMany = (seconds: number, what: string) =>
  new StratumError(429, 'rate_limited', `Too many requests ${what}; retry after ${seconds} s`, [], { 'Retry-After': String(seconds) })

/**
 * The bucket of a client IP. An IPv6 client is usually handed a whole /64, so
 * its addresses share one bucket. Loopback peers have none (`undefined`): a
 * reverse proxy on the same host that is not declared in
 * `STRATUM_TRUSTED_PROXIES` would otherwise put every visitor in one bucket;
 * the per-key limits still apply to them.
 */
function bucketOf(ip: string): string | undefined {
  const address = ipaddr.parse(ip)
  if (address.range() === 'loopback') return undefined
  if (address.kind() === 'ipv4') return ip
  return `${(address as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16)).join(':')}::/64`
}

/**
 * Per-client-IP limit for the browser routes, placed before authentication.
 * A request from an IP whose bucket is empty is refused at once with 429 and
 * `Retry-After`, before any key lookup; afterwards, a request is charged to
 * its IP unless a backend credential (a JWT) authenticated it: public source
 * keys and failed authentications count, a backend sending from one address
 * does not. The client IP is found as the events route finds it (trusted
 * proxies' `X-Forwarded-For`).
 *
 * @example
 * app.post('/events', limitClientIp(), authenticate(authenticator, options), limitCredential(), handler)
 */
export function limitClientIp() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const { rateLimits, remoteAddress } = c.get('services')
    const ip = clientIp(remoteAddress(c), c.req.header('x-forwarded-for'), rateLimits.trustedProxies)
    const bucket = ip && bucketOf(ip)
    if (!bucket) return next()
    const wait = rateLimits.clientIp.peek(bucket)
    if (wait > 0) throw tooMany(wait, 'from this address')
    try {
      await next()
    } finally {
      const auth = c.get('auth')
      if (!auth || auth.via === 'source_key') rateLimits.clientIp.take(bucket)
    }
  })
}

/**
 * Per-credential limit, placed after authentication: a public source key is
 * limited per source, anything else (a JWT) per tenant, every write route of
 * the tenant sharing one budget. Answers 429 with `Retry-After`.
 *
 * @example
 * app.post('/sources', limitCredential(), handler)
 */
export function limitCredential() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const { rateLimits } = c.get('services')
    const auth = c.get('auth')
    const browser = auth.via === 'source_key' && auth.source
    const wait = browser ? rateLimits.sourceKey.take(browser.id) : rateLimits.tenant.take(auth.tenantId)
    if (wait > 0) throw tooMany(wait, browser ? 'with this source key' : 'for this tenant')
    await next()
  })
}
