/**
 * The Web Locks API's `ifAvailable` semantics for one origin: the tabs of a
 * test share one manager.
 *
 * @example
 * const locks = fakeLocks()
 * createTabLock('lock', locks) // tab A
 * createTabLock('lock', locks) // tab B
 */
export function fakeLocks(): LockManager & { held: Set<string> } {
  const held = new Set<string>()
  return {
    held,
    async request(name: string, _options: LockOptions, callback: (lock: Lock | null) => unknown) {
      if (held.has(name)) return callback(null)
      held.add(name)
      try {
        return await callback({ name, mode: 'exclusive' } as Lock)
      } finally {
        held.delete(name)
      }
    },
  } as unknown as LockManager & { held: Set<string> }
}
