/**
 * Access to `document.cookie`, injectable so cookie logic runs in tests.
 *
 * @example
 * const cookies: CookieAccess = { read: () => document.cookie, write: (c) => (document.cookie = c) }
 */
export interface CookieAccess {
  read(): string
  write(cookie: string): void
}

/**
 * Attributes of a cookie this pixel writes.
 *
 * @example
 * writeCookie(cookies, 'stratum_aid', id, { domain: 'shop.example', maxAgeSeconds: 3600, secure: true })
 */
export interface CookieAttributes {
  domain?: string
  maxAgeSeconds: number
  secure: boolean
}

/**
 * `document.cookie` as a {@link CookieAccess} that never throws (sandboxed
 * iframes and `file:` pages throw on access).
 *
 * @example
 * readCookie(documentCookies(document), '_fbp')
 */
export function documentCookies(doc: Document): CookieAccess {
  return {
    read() {
      try {
        return doc.cookie
      } catch {
        return ''
      }
    },
    write(cookie) {
      try {
        doc.cookie = cookie
      } catch {}
    },
  }
}

/**
 * The decoded value of cookie `name`, or `null`.
 *
 * @example
 * readCookie(cookies, 'stratum_aid') // '5f0c…'
 */
export function readCookie(cookies: CookieAccess, name: string): string | null {
  for (const part of cookies.read().split('; ')) {
    const eq = part.indexOf('=')
    if (part.slice(0, eq) === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1))
      } catch {
        return null
      }
    }
  }
  return null
}

/**
 * Writes a first-party, `SameSite=Lax` cookie on path `/`; `maxAgeSeconds: 0` deletes it.
 *
 * @example
 * writeCookie(cookies, 'stratum_aid', id, { domain: 'shop.example', maxAgeSeconds: 34186669, secure: true })
 */
export function writeCookie(cookies: CookieAccess, name: string, value: string, attributes: CookieAttributes): void {
  cookies.write(
    `${name}=${encodeURIComponent(value)}; Path=/; Max-Age=${attributes.maxAgeSeconds}; SameSite=Lax` +
      (attributes.domain ? `; Domain=${attributes.domain}` : '') +
      (attributes.secure ? '; Secure' : ''),
  )
}
