import ipaddr from 'ipaddr.js'
import { isbot } from 'isbot'
import { boundedMemo } from './bounded-memo'
import { hasClickId } from './score-identifier-quality'
import type { EmqInput } from './types'

/**
 * CR's share of the 100 EMQ points (5 + 4 + 2 + 1 + 2 + 1).
 *
 * @example
 * CR_MAX // 15
 */
export const CR_MAX = 15

/**
 * Points per context signal. IP and user agent are what conversion APIs use
 * for probabilistic matching when no hashed key matches, so they weigh most;
 * IPv6 earns a bonus because it usually pins one household or device rather
 * than a carrier NAT. Page/referrer/campaign make the event attributable;
 * locale/timezone are a weak consistency check.
 *
 * @example
 * CR_POINTS.userAgent // 4
 */
export const CR_POINTS = {
  publicIp: 4,
  ipv6Bonus: 1,
  userAgent: 4,
  pageUrl: 2,
  referrer: 1,
  campaignOrClickId: 2,
  localeOrTimezone: 1,
} as const

// Dotted-quad only. ipaddr.js also parses "8.8.8", "134744072" and octal
// "010.0.0.1"; a server-derived address never looks like that, so such a
// string is malformed input, not a public IP.
const DOTTED_QUAD = /^(?:0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,2})){3}$/

// 2000::/3 is the only block IANA allocates for global unicast. ipaddr.js
// calls anything it has no name for 'unicast' (e.g. 4000::1), so IPv6 must
// also fall inside this block to count as public.
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3')

// Distinct user agents and IPs remembered per process; user agents are bounded by the request's header size.
const MEMO_ENTRIES = 1024
const isBotCached = boundedMemo(isbot, MEMO_ENTRIES)

/**
 * CR points for the client IP: 4 for a public IPv4, 5 for a public IPv6, else 0.
 * Only ipaddr.js's plain `unicast` range is public: private, loopback,
 * link-local, CGNAT, unique-local, reserved/documentation, unspecified,
 * multicast, broadcast and tunnel/translation ranges (6to4, Teredo, NAT64)
 * say nothing about the person. An IPv4-mapped IPv6 (`::ffff:1.2.3.4`, what a
 * dual-stack Node socket reports for IPv4 clients) is scored as the IPv4 it is.
 *
 * @example
 * scoreClientIp('8.8.8.8')              // 4
 * scoreClientIp('2001:4860:4860::8888') // 5
 * scoreClientIp('::ffff:8.8.8.8')       // 4
 * scoreClientIp('192.168.1.1')          // 0
 */
export function scoreClientIp(ip: string | undefined): number {
  return ip === undefined || ip.length === 0 ? 0 : scoreKnownIp(ip)
}

const scoreKnownIp = boundedMemo((ip: string): number => {
  if (ip.includes(':')) {
    let v6: ipaddr.IPv6
    try {
      v6 = ipaddr.IPv6.parse(ip)
    } catch {
      return 0
    }
    if (v6.isIPv4MappedAddress()) {
      return v6.toIPv4Address().range() === 'unicast' ? CR_POINTS.publicIp : 0
    }
    return v6.range() === 'unicast' && v6.match(GLOBAL_UNICAST_V6)
      ? CR_POINTS.publicIp + CR_POINTS.ipv6Bonus
      : 0
  }
  if (!DOTTED_QUAD.test(ip)) return 0
  let v4: ipaddr.IPv4
  try {
    v4 = ipaddr.IPv4.parse(ip) // throws on an octet > 255
  } catch {
    return 0
  }
  return v4.range() === 'unicast' ? CR_POINTS.publicIp : 0
}, MEMO_ENTRIES)

/**
 * Whether a user agent looks like a person's browser: non-empty and not on
 * isbot's maintained list (crawlers, HTTP libraries, headless browsers).
 * Bot traffic is not a person to match, so it earns nothing.
 *
 * @example
 * isHumanUserAgent('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)') // false
 * isHumanUserAgent('') // false
 */
export function isHumanUserAgent(userAgent: string | undefined): boolean {
  // isbot('') is false (no pattern matches), so emptiness must be checked here.
  return userAgent !== undefined && userAgent.length > 0 && !isBotCached(userAgent)
}

/**
 * Whether the campaign object has at least one key with a value
 * (`{ utm_source: '' }` is an empty form field, not a campaign).
 */
function hasCampaign(campaign: Record<string, unknown> | undefined): boolean {
  if (campaign === undefined || campaign === null) return false
  // for…in instead of Object.keys/values: no array allocated per event.
  for (const key in campaign) {
    if (!Object.hasOwn(campaign, key)) continue
    const value = campaign[key]
    if (value !== undefined && value !== null && value !== '') return true
  }
  return false
}

function isNonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0
}

/**
 * CR: public client IP 4 (+1 if IPv6), non-bot user agent 4, page URL 2,
 * referrer 1, UTM or click id 2, locale or timezone 1.
 *
 * @example
 * scoreContextRichness({
 *   clientIp: '2001:4860:4860::8888',
 *   userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
 *   context: { page: { url: 'https://shop.example/', referrer: 'https://www.google.com/' },
 *              campaign: { utm_source: 'newsletter' }, locale: 'en-US' },
 * }) // 15
 */
export function scoreContextRichness(input: Pick<EmqInput, 'clientIp' | 'userAgent' | 'context'>): number {
  const { context } = input
  let points = scoreClientIp(input.clientIp)
  if (isHumanUserAgent(input.userAgent)) points += CR_POINTS.userAgent
  if (isNonEmptyString(context.page?.url)) points += CR_POINTS.pageUrl
  if (isNonEmptyString(context.page?.referrer)) points += CR_POINTS.referrer
  if (hasCampaign(context.campaign) || hasClickId(context.clickIds)) points += CR_POINTS.campaignOrClickId
  if (isNonEmptyString(context.locale) || isNonEmptyString(context.timezone)) points += CR_POINTS.localeOrTimezone
  return points
}
