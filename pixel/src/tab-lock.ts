import type { KeyValueStore } from './key-value-store'

/**
 * Runs `task` while holding a lock shared by all tabs of the origin; resolves `false` when another tab holds it.
 *
 * @example
 * await lock(async () => { await drain() }) // false when another tab sends
 */
export type TabLock = (task: () => Promise<void>) => Promise<boolean>

/** How long a storage lease stays valid, so a tab that died holding it blocks the others for at most this long. */
const LEASE_MS = 60_000

/**
 * A cross-tab mutex so that one tab at a time sends the shared queue. Two
 * senders would only cost duplicates, which the collector absorbs, but waste
 * the visitor's bandwidth. Uses the Web Locks API, which the browser releases
 * when a tab dies; where it is missing (Safari < 15.4), a localStorage lease
 * `<tab id> <expiry>`: check-then-set, so two tabs racing within the same
 * millisecond may both send — harmless, and not worth a slower protocol.
 *
 * @example
 * const lock = createTabLock('stratum_lock', navigator.locks, store, Date.now, uuid())
 * await lock(async () => { await sendEverything() })
 */
export function createTabLock(
  name: string,
  locks: LockManager | undefined,
  store: KeyValueStore,
  now: () => number,
  tabId: string,
): TabLock {
  if (locks) {
    return async (task) =>
      (await locks.request(name, { ifAvailable: true }, async (lock) => {
        if (lock) await task()
        return !!lock
      })) === true
  }
  return async (task) => {
    const [owner, expiry] = (store.get(name) || '').split(' ')
    if (owner !== tabId && Number(expiry) > now()) return false
    store.set(name, `${tabId} ${now() + LEASE_MS}`)
    try {
      await task()
    } finally {
      store.remove(name)
    }
    return true
  }
}
