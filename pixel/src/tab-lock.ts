import type { KeyValueStore } from './key-value-store'

/** Runs `task` while holding a lock shared by all tabs of the origin; resolves `false` when another tab holds it. */
export type TabLock = (task: () => Promise<void>) => Promise<boolean>

/** How long a storage lease stays valid, so a tab that died holding it blocks others for at most this long. */
const LEASE_MS = 60_000
/** Time for a racing tab's lease write to land before checking who won. */
const SETTLE_MS = 50

/**
 * A cross-tab mutex so that only one tab at a time sends the shared queue
 * (two senders would only cost duplicates, which the collector absorbs, but
 * waste the visitor's bandwidth). Uses the Web Locks API, which the browser
 * releases when a tab dies; where it is missing, a localStorage lease
 * (`<tab id> <expiry>`) written, left to settle, then read back.
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
  if (locks?.request) {
    return (task) => locks.request(name, { ifAvailable: true }, async (lock) => !!lock && (await task(), true))
  }
  const mine = () => store.get(name)?.split(' ')[0] === tabId
  return async (task) => {
    const [owner, expiry] = (store.get(name) ?? '').split(' ')
    if (owner && owner !== tabId && Number(expiry) > now()) return false
    store.set(name, `${tabId} ${now() + LEASE_MS}`)
    await new Promise((settled) => setTimeout(settled, SETTLE_MS))
    if (!mine()) return false
    try {
      await task()
    } finally {
      if (mine()) store.remove(name)
    }
    return true
  }
}
