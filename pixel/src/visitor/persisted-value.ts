import type { KeyValueStore } from '../key-value-store'
import { type CookieAccess, readCookie, writeCookie } from './cookies'

/**
 * A named string kept in a cookie and/or localStorage.
 *
 * @example
 * value.set(id); value.get() // id
 */
export interface PersistedValue {
  get(): string | null
  set(value: string): void
  remove(): void
}

/**
 * Where persisted values live, and whether they may be written at all.
 *
 * @example
 * createPersistedValue('stratum_sid', { store, cookies, secure: true, canPersist: () => true }, 1800)
 */
export interface PersistenceContext {
  store: KeyValueStore
  cookies: CookieAccess
  cookieDomain?: string
  secure: boolean
  /**
   * `false` while consent is required but not given: values then live in
   * memory only, so nothing is written to the visitor's device before they agree.
   */
  canPersist(): boolean
}

/**
 * A value read from its cookie first (shared across subdomains), then from its
 * localStorage mirror (survives cookie clean-ups and Safari's cookie caps),
 * then from memory; written to all of them. A mirror that still has the value
 * after the cookie went away restores the cookie on the next write.
 * `maxAgeSeconds: 0` keeps the value out of cookies (localStorage only).
 *
 * @example
 * const aid = createPersistedValue('stratum_aid', persistence, 13 * 30 * 86400)
 */
export function createPersistedValue(name: string, persistence: PersistenceContext, maxAgeSeconds: number): PersistedValue {
  let memory: string | null = null
  const cookie = (value: string, maxAge: number) =>
    maxAgeSeconds > 0 &&
    writeCookie(persistence.cookies, name, value, {
      domain: persistence.cookieDomain,
      maxAgeSeconds: maxAge,
      secure: persistence.secure,
    })
  return {
    get: () =>
      (maxAgeSeconds > 0 && readCookie(persistence.cookies, name)) || persistence.store.get(name) || memory,
    set(value) {
      memory = value
      if (!persistence.canPersist()) return
      cookie(value, maxAgeSeconds)
      persistence.store.set(name, value)
    },
    remove() {
      memory = null
      cookie('', 0)
      persistence.store.remove(name)
    },
  }
}
