import type { CookieAccess } from '../visitor/cookies'

interface StoredCookie {
  value: string
  domain: string
  hostOnly: boolean
}

/**
 * `document.cookie` as a browser implements it for one host, enough to test
 * domain probing: a `Domain` attribute must be the host or a parent of it and
 * must not be a public suffix (from `publicSuffixes`), else the cookie is
 * silently refused; `Max-Age=0` deletes. Jars of sibling hosts can share
 * `cookies` to model a site's subdomains.
 *
 * @example
 * const jar = fakeCookieJar('www.shop.co.uk', ['uk', 'co.uk'])
 */
export function fakeCookieJar(
  host: string,
  publicSuffixes: string[],
  cookies = new Map<string, StoredCookie>(),
): CookieAccess & { cookies: Map<string, StoredCookie>; writes: string[] } {
  const visible = (c: StoredCookie) => (c.hostOnly ? c.domain === host : host === c.domain || host.endsWith(`.${c.domain}`))
  const writes: string[] = []
  return {
    cookies,
    writes,
    read: () =>
      [...cookies.entries()]
        .filter(([, c]) => visible(c))
        .map(([key, c]) => `${key.split('|')[0]}=${c.value}`)
        .join('; '),
    write(cookie) {
      writes.push(cookie)
      const [pair = '', ...attributes] = cookie.split('; ')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq)
      const attr = (key: string) => attributes.find((a) => a.startsWith(`${key}=`))?.slice(key.length + 1)
      const domain = attr('Domain')?.replace(/^\./, '')
      if (domain !== undefined) {
        const parentOrSelf = host === domain || host.endsWith(`.${domain}`)
        if (!parentOrSelf || publicSuffixes.includes(domain) || !domain.includes('.')) return
      }
      const key = `${name}|${domain ?? host}`
      if (attr('Max-Age') === '0') cookies.delete(key)
      else cookies.set(key, { value: pair.slice(eq + 1), domain: domain ?? host, hostOnly: domain === undefined })
    },
  }
}
