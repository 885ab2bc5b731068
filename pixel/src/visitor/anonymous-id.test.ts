import { describe, expect, it } from 'vitest'
import { createKeyValueStore } from '../key-value-store'
import { deferredLocks } from '../testing/deferred-locks'
import { fakeCookieJar } from '../testing/fake-cookie-jar'
import { sharedStorage } from '../testing/memory-storage'
import { ANONYMOUS_ID_COOKIE, ANONYMOUS_ID_MAX_AGE_SECONDS, createAnonymousId } from './anonymous-id'
import { createPersistedValue } from './persisted-value'

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

  it('settle() creates the id only under the lock, adopting one another tab created meanwhile', async () => {
    const tab = site('www.shop.stratum.test')
    const otherTab = site('www.shop.stratum.test', tab.jar.cookies)
    const locks = deferredLocks()
    const settling = tab.anonymousId.settle(locks.manager)
    expect(locks.pending()).toEqual([ANONYMOUS_ID_COOKIE])
    expect(tab.jar.read()).toBe('')
    const winner = otherTab.anonymousId.get()
    locks.open()
    await settling
    expect(tab.anonymousId.get()).toBe(winner)
  })

  it('settle() has nothing to wait for once an id exists, or without Web Locks', () => {
    const tab = site('www.shop.stratum.test')
    expect(tab.anonymousId.settle(undefined)).toBeUndefined()
    expect(tab.jar.read()).toBe('')
    tab.anonymousId.get()
    const locks = deferredLocks()
    expect(tab.anonymousId.settle(locks.manager)).toBeUndefined()
    expect(locks.pending()).toEqual([])
  })
})
