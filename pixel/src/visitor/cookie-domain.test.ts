import { describe, expect, it } from 'vitest'
import { fakeCookieJar } from '../testing/fake-cookie-jar'
import { findCookieDomain } from './cookie-domain'

describe('findCookieDomain', () => {
  it('finds the registrable domain of a deep subdomain', () => {
    expect(findCookieDomain('www.shop.stratum.test', fakeCookieJar('www.shop.stratum.test', ['test']))).toBe(
      'stratum.test',
    )
  })

  it('skips public suffixes the browser refuses', () => {
    const jar = fakeCookieJar('www.shop.co.uk', ['uk', 'co.uk'])
    expect(findCookieDomain('www.shop.co.uk', jar)).toBe('shop.co.uk')
    expect(findCookieDomain('alice.github.io', fakeCookieJar('alice.github.io', ['io', 'github.io']))).toBe(
      'alice.github.io',
    )
  })

  it('tries the shortest parent first and leaves no probe cookie behind', () => {
    const jar = fakeCookieJar('a.b.shop.example', ['example'])
    expect(findCookieDomain('a.b.shop.example', jar)).toBe('shop.example')
    expect(jar.writes[0]).toContain('Domain=shop.example')
    expect(jar.read()).toBe('')
  })

  it('marks the probe Secure on https', () => {
    const jar = fakeCookieJar('www.shop.example', ['example'])
    findCookieDomain('www.shop.example', jar, true)
    expect(jar.writes[0]).toMatch(/; Secure$/)
  })

  it('uses host-only cookies for localhost, IPs and hosts that refuse every cookie', () => {
    expect(findCookieDomain('localhost', fakeCookieJar('localhost', []))).toBeUndefined()
    expect(findCookieDomain('127.0.0.1', fakeCookieJar('127.0.0.1', []))).toBeUndefined()
    expect(findCookieDomain('::1', fakeCookieJar('::1', []))).toBeUndefined()
    const refusing = { read: () => '', write: () => {} }
    expect(findCookieDomain('www.shop.example', refusing)).toBeUndefined()
  })
})
