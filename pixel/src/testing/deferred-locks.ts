/**
 * A Web Locks `LockManager` that grants nothing until the test calls
 * `open()`, and everything at once after it, to play what other tabs do
 * while a tab waits for a lock.
 *
 * @example
 * const locks = deferredLocks()
 * const done = locks.manager.request('stratum_aid', task)
 * otherTabDoesSomething()
 * locks.open() // task runs now
 */
export function deferredLocks() {
  const waiting: { name: string; grant: () => void }[] = []
  let open = false
  const manager = {
    request(name: string, ...rest: unknown[]) {
      const task = rest.at(-1) as (lock: { name: string }) => unknown
      return new Promise((resolve, reject) => {
        const grant = () => Promise.resolve().then(() => task({ name })).then(resolve, reject)
        if (open) grant()
        else waiting.push({ name, grant })
      })
    },
  } as unknown as LockManager
  return {
    manager,
    /** Names of the locks asked for and not granted yet. */
    pending: () => waiting.map((w) => w.name),
    open() {
      open = true
      for (const request of waiting.splice(0)) request.grant()
    },
  }
}
