/**
 * A localStorage-shaped string store that never throws.
 *
 * @example
 * store.set('stratum_user', JSON.stringify(user))
 */
export interface KeyValueStore {
  get(key: string): string | null
  set(key: string, value: string): void
  remove(key: string): void
  /** Every key, in no particular order. */
  keys(): string[]
}

/**
 * Wraps a `Storage` so that a blocked, full or missing localStorage degrades to
 * memory instead of throwing: Safari's private mode and disabled site data
 * throw on access, and a full quota throws on write. A value that could not be
 * written lives in memory for the page's lifetime and shadows storage.
 *
 * @example
 * const store = createKeyValueStore(() => window.localStorage)
 * store.set('k', 'v')
 */
export function createKeyValueStore(storage: () => Storage | undefined): KeyValueStore {
  const memory = new Map<string, string>()
  const attempt = <T>(use: (s: Storage) => T, fallback: T): T => {
    try {
      const s = storage()
      return s ? use(s) : fallback
    } catch {
      return fallback
    }
  }
  return {
    get: (key) => (memory.has(key) ? memory.get(key)! : attempt((s) => s.getItem(key), null)),
    set(key, value) {
      const stored = attempt((s) => {
        s.setItem(key, value)
        return true
      }, false)
      if (stored) memory.delete(key)
      else memory.set(key, value)
    },
    remove(key) {
      memory.delete(key)
      attempt((s) => s.removeItem(key), undefined)
    },
    keys: () => [...new Set([...memory.keys(), ...attempt((s) => Object.keys(s), [] as string[])])],
  }
}
