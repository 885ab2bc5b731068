/**
 * Runs `task` while holding a lock shared by all tabs of the origin; resolves `false` when another tab holds it.
 *
 * @example
 * await lock(async () => { await drain() }) // false when another tab sends
 */
export type TabLock = (task: () => Promise<void>) => Promise<boolean>

/**
 * A cross-tab mutex so that one tab at a time sends the shared queue, with
 * the Web Locks API, which the browser releases when a tab dies. Two senders
 * would only cost duplicates, which the collector absorbs, but waste the
 * visitor's bandwidth. Where Web Locks are missing (Safari before 15.4,
 * Chrome before 69, Firefox before 96) every tab may send, and the claims the
 * sender broadcasts (see `delivery.ts`) keep the others off its events.
 *
 * @example
 * const lock = createTabLock('stratum_lock', navigator.locks)
 * await lock(async () => { await sendEverything() })
 */
export function createTabLock(name: string, locks: LockManager | undefined): TabLock {
  return locks
    ? async (task) =>
        (await locks.request(name, { ifAvailable: true }, async (lock) => {
          if (lock) await task()
          return !!lock
        })) === true
    : async (task) => {
        await task()
        return true
      }
}
