/**
 * A `Storage` kept in a Map, shared by the "tabs" of a test the way
 * localStorage is shared by the tabs of an origin.
 *
 * @example
 * const storage = memoryStorage()
 * createKeyValueStore(() => storage)
 */
export function memoryStorage(): Storage {
  const data = new Map<string, string>()
  const storage = {
    get length() {
      return data.size
    },
    clear: () => data.clear(),
    getItem: (key: string) => data.get(key) ?? null,
    key: (index: number) => [...data.keys()][index] ?? null,
    removeItem: (key: string) => {
      data.delete(key)
      delete (storage as Record<string, unknown>)[key]
    },
    setItem: (key: string, value: string) => {
      data.set(key, String(value))
      // Real Storage exposes items as own properties, which Object.keys() lists.
      Object.defineProperty(storage, key, { value: String(value), enumerable: true, configurable: true })
    },
  }
  return storage as Storage
}

/**
 * A getter for {@link createKeyValueStore} that always returns the same fresh storage.
 *
 * @example
 * createKeyValueStore(sharedStorage())
 */
export function sharedStorage(): () => Storage {
  const storage = memoryStorage()
  return () => storage
}
