import type { PersistedValue } from './persisted-value'

/**
 * The cookie holding the anonymous id.
 *
 * @example
 * readCookie(cookies, ANONYMOUS_ID_COOKIE) // '5f0c…'
 */
export const ANONYMOUS_ID_COOKIE = 'stratum_aid'
/**
 * 13 months, the usual ceiling for an analytics cookie in the EU.
 *
 * @example
 * createPersistedValue(ANONYMOUS_ID_COOKIE, persistence, ANONYMOUS_ID_MAX_AGE_SECONDS)
 */
export const ANONYMOUS_ID_MAX_AGE_SECONDS = 395 * 86_400

/**
 * The visitor's anonymous id.
 *
 * @example
 * const aid: AnonymousId = createAnonymousId(value, uuid)
 */
export interface AnonymousId {
  /** The id, created on first use; refreshes the cookie so it lives 13 months past the last visit. */
  get(): string
  /** Replaces the id with a new one (logout, "forget me"). */
  reset(): string
  /**
   * Before the first event of a first visit: creates the id while holding a
   * Web Lock shared by the site's tabs, so that tabs starting together agree
   * on one id. `undefined` when there is nothing to wait for.
   */
  settle(locks: LockManager | undefined): Promise<unknown> | undefined
}

/**
 * The anonymous id: read from the `stratum_aid` cookie on the registrable
 * domain (so `www.` and `blog.` share it), else from its localStorage mirror,
 * else created. It changes only on `reset()`.
 *
 * Two tabs opened together on a first visit would each find no id and
 * create their own; the cookie keeps the last one written, and the other
 * tab's first events are stranded on a profile of their own. `settle()`
 * closes that race where the browser has Web Locks: the tabs create the id
 * one at a time, each looking again under the lock.
 *
 * @example
 * const aid = createAnonymousId(createPersistedValue(ANONYMOUS_ID_COOKIE, persistence, ANONYMOUS_ID_MAX_AGE_SECONDS), uuid)
 * await aid.settle(navigator.locks)
 * aid.get() // '5f0c…'
 */
export function createAnonymousId(value: PersistedValue, makeId: () => string): AnonymousId {
  const reset = () => {
    const id = makeId()
    value.set(id)
    return id
  }
  let refreshed = false
  const get = () => {
    const id = value.get()
    if (!id) return reset()
    // Re-write once per page so the 13 months count from the last visit.
    if (!refreshed) value.set(id)
    refreshed = true
    return id
  }
  return {
    get,
    reset,
    settle: (locks) => (value.get() || !locks ? undefined : locks.request(ANONYMOUS_ID_COOKIE, get)),
  }
}
