/**
 * A module that is either at hand or fetched on first need.
 *
 * @example
 * const identity: LazyModule<IdentityModule> = lazyModule(loadIdentityChunk)
 */
export interface LazyModule<T> {
  /** The module if it has arrived. */
  get(): T | undefined
  /** Fetches it once; a failed fetch is retried by the next call. */
  load(): Promise<T>
}

/**
 * Wraps a module given directly (npm build) or by a loader (script-tag chunk).
 *
 * @example
 * const identity = lazyModule(() => loadChunk('stratum-identity.min.js', 'stratumIdentity'))
 * identity.get() ?? (await identity.load())
 */
export function lazyModule<T extends object>(source: T | (() => Promise<T>)): LazyModule<T> {
  let module = typeof source === 'function' ? undefined : source
  let loading: Promise<T> | undefined
  return {
    get: () => module,
    load: () =>
      (loading ||= (source as () => Promise<T>)().then(
        (loaded) => (module = loaded),
        (error) => {
          loading = undefined
          throw error
        },
      )),
  }
}
