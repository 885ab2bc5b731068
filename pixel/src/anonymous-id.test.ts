import { describe, expect, it } from 'vitest'
import { ANONYMOUS_ID_COOKIE, ANONYMOUS_ID_MAX_AGE_SECONDS, createAnonymousId } from './anonymous-id'
import { createKeyValueStore } from './key-value-store'
import { createPersistedValue } from './persisted-value'
import { fakeCookieJar } from './testing/fake-cookie-jar'
import { sharedStorage } from './testing/memory-storage'

let ids = 0

function site(host: string, cookies = fakeCookieJar(host, ['test']).cookies, canPersist = () => true) {
  const jar = fakeCookieJar(host, ['test'], cookies)
  const persistence = { store: createKeyValueStore(sharedStorage()), cookies: jar, cookieDomain: 'stratum.test', secure: true, canPersist }
  const value = createPersistedValue(ANONYMOUS_ID_COOKIE, persistence, ANONYMOUS_ID_MAX_AGE_SECONDS)
  return { jar, persistence, anonymousId: createAnonymousId(value, () => `aid${++ids}`) }
}

describe('createAnonymousId', () => {
  it('writes a 13-month SameSite=Lax cookie on the registrable domain, Secure on https', () => {
    const { jar, anonymousId } = site('www.shop.stratum.test')
    const id = anonymousId.get()
    expect(jar.writes[0]).toBe(
      `stratum_aid=${id}; Path=/; Max-Age=${395 * 86400}; SameSite=Lax; Domain=stratum.test; Secure`,
    )
  })

  it('is shared by subdomains and stable until reset()', () => {
    const www = site('www.shop.stratum.test')
    const id = www.anonymousId.get()
    const blog = site('blog.shop.stratum.test', www.jar.cookies)
    expect(blog.anonymousId.get()).toBe(id)
    expect(www.anonymousId.get()).toBe(id)
    const next = blog.anonymousId.reset()
    expect(next).not.toBe(id)
    expect(www.anonymousId.get()).toBe(next)
  })

  it('restores a cleared cookie from its localStorage mirror', () => {
    const { jar, anonymousId, persistence } = site('www.shop.stratum.test')
    const id = anonymousId.get()
    jar.cookies.clear()
    expect(persistence.store.get(ANONYMOUS_ID_COOKIE)).toBe(id)
    expect(anonymousId.get()).toBe(id)
  })

  it('stays in memory while persisting is not allowed', () => {
    const { jar, anonymousId, persistence } = site('www.shop.stratum.test', undefined, () => false)
    const id = anonymousId.get()
    expect(anonymousId.get()).toBe(id)
    expect(jar.read()).toBe('')
    expect(persistence.store.keys()).toEqual([])
  })
})
