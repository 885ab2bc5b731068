import type { IdentityModule } from './identify/hash-traits'
import type { PageContext, Stratum } from './types'

/**
 * How the entry point (npm or script tag) provides the parts kept out of the core.
 *
 * @example
 * createStratumCore(options, { identity: { identifyUser }, visitorId: () => Promise.resolve('device-1') })
 */
export interface StratumLoaders {
  /** The identity functions, or how to fetch them (the script tag's identity chunk). */
  identity: IdentityModule | (() => Promise<IdentityModule>)
  /** Loads FingerprintJS and returns its visitor id. */
  visitorId: () => Promise<string>
}

/**
 * A pixel instance plus what the script tag needs to replay calls made before it loaded.
 *
 * @example
 * core.at(queuedPage, () => core.api.track('Lead'))
 */
export interface StratumCore {
  api: Stratum
  /** Runs `call` as if made on `page` (URL, title, referrer, time captured by the snippet). */
  at<T>(page: PageContext, call: () => T): T
}
