/**
 * A `Storage` in memory. Like the real one, its items are its only own
 * enumerable properties (the pixel lists keys with `Object.keys`).
 */
class MemoryStorage implements Storage {
  [name: string]: unknown
  readonly #data = new Map<string, string>()

  get length(): number {
    return this.#data.size
  }
  clear(): void {
    for (const key of this.#data.keys()) this.removeItem(key)
  }
  getItem(key: string): string | null {
    return this.#data.get(key) ?? null
  }
  key(index: number): string | null {
    return [...this.#data.keys()][index] ?? null
  }
  removeItem(key: string): void {
    this.#data.delete(key)
    delete this[key]
  }
  setItem(key: string, value: string): void {
    this.#data.set(key, String(value))
    Object.defineProperty(this, key, { value: String(value), enumerable: true, configurable: true, writable: true })
  }
}

/**
 * A fresh in-memory `Storage`, shared by the "tabs" of a test the way
 * localStorage is shared by the tabs of an origin.
 *
 * @example
 * const storage = memoryStorage()
 * createKeyValueStore(() => storage)
 */
export function memoryStorage(): Storage {
  return new MemoryStorage()
}

/**
 * A getter for `createKeyValueStore` that always returns the same fresh storage.
 *
 * @example
 * createKeyValueStore(sharedStorage())
 */
export function sharedStorage(): () => Storage {
  const storage = memoryStorage()
  return () => storage
}
