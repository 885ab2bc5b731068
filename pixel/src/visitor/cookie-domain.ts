import { type CookieAccess, readCookie, writeCookie } from './cookies'

const PROBE = 'stratum_probe'

/**
 * Finds the registrable domain of `hostname` (`www.shop.co.uk` → `shop.co.uk`)
 * by asking the browser, which knows the public-suffix list, instead of
 * bundling that list (~50 KB): a cookie scoped to a public suffix is refused.
 * Candidates go from the shortest parent (two labels) to the full host, so the
 * first that accepts the probe cookie is the registrable domain. Returns
 * `undefined` for hosts that take no Domain attribute (localhost, IP
 * addresses) or refuse every cookie: the caller then writes host-only cookies.
 *
 * @example
 * findCookieDomain('www.shop.stratum.test', documentCookies(document)) // 'stratum.test'
 */
export function findCookieDomain(hostname: string, cookies: CookieAccess, secure = false): string | undefined {
  if (!hostname.includes('.') || /^[\d.]+$|:/.test(hostname)) return undefined
  const labels = hostname.split('.')
  const token = String(Math.random()).slice(2)
  for (let i = labels.length - 2; i >= 0; i--) {
    const domain = labels.slice(i).join('.')
    writeCookie(cookies, PROBE, token, { domain, maxAgeSeconds: 10, secure })
    if (readCookie(cookies, PROBE) === token) {
      writeCookie(cookies, PROBE, '', { domain, maxAgeSeconds: 0, secure })
      return domain
    }
  }
  return undefined
}
