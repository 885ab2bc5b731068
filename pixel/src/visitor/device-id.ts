import type { PersistedValue } from './persisted-value'

/**
 * localStorage key caching the FingerprintJS visitor id, so the fingerprint runs once per browser.
 *
 * @example
 * createPersistedValue(DEVICE_ID_KEY, persistence, 0)
 */
export const DEVICE_ID_KEY = 'stratum_did'

/**
 * The FingerprintJS visitor id, fetched lazily.
 *
 * @example
 * device.ensure() // once marketing consent is granted
 */
export interface DeviceId {
  /** The id if known; never loads anything. */
  get(): string | null
  /** Loads FingerprintJS (a separate chunk) and computes the id, once, unless it is cached. */
  ensure(): void
  /** Forgets the id (marketing consent withdrawn). */
  clear(): void
}

/**
 * A device id computed by FingerprintJS. `load` fetches the FingerprintJS
 * chunk (a dynamic `import()` for npm, a script element for the script tag);
 * it is called only by `ensure()`, which the pixel calls only when the
 * `deviceId` option is on and marketing consent is granted — so visitors who
 * did not agree never download or run the fingerprinting code.
 *
 * @example
 * const device = createDeviceId(createPersistedValue(DEVICE_ID_KEY, persistence, 0), loadVisitorId)
 * device.ensure()
 */
export function createDeviceId(value: PersistedValue, load: () => Promise<string>): DeviceId {
  let loading = false
  return {
    get: () => value.get(),
    ensure() {
      if (loading || value.get()) return
      loading = true
      load().then(
        (id) => value.set(id),
        () => {
          loading = false
        },
      )
    },
    clear() {
      value.remove()
    },
  }
}
