import { createStratumCore } from './create-stratum'
import { identifyUser } from './identify/hash-traits'
import type { Stratum, StratumOptions } from './types'
import { visitorIdFrom } from './visitor/visitor-id'

export type {
  ConsentDecision,
  Identifier,
  IdentifyTraits,
  PageContext,
  Stratum,
  StratumOptions,
  TrackOptions,
  UserData,
  WireEvent,
} from './types'

/**
 * Starts the pixel in a single-page app and returns its API. PII passed to
 * `identify()` is normalised and hashed in the browser; events are persisted
 * before sending and retried until the collector acknowledges them.
 * FingerprintJS is imported on demand (your bundler makes it a separate
 * chunk), only with `deviceId: true` and marketing consent.
 *
 * @example
 * import { createStratum } from '@stratum/pixel'
 * const stratum = createStratum({ sourceKey: 'sk_…', endpoint: 'https://collect.shop.example' })
 * stratum.identify({ email: 'jane@shop.example' })
 * stratum.track('Purchase', { value: 129.5, currency: 'EUR', order_id: 'A-1001' })
 */
export function createStratum(options: StratumOptions): Stratum {
  return createStratumCore(options, {
    identity: { identifyUser },
    visitorId: () => import('@fingerprintjs/fingerprintjs').then((fingerprint) => visitorIdFrom(fingerprint.load)),
  }).api
}
