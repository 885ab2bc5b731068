import type { Config } from '../config'
import type { EventFeed } from '../live/event-feed'
import type { Logger } from '../log'
import type { Resolver } from '../resolver/resolver'
import type { IngestSettings } from './ingest-batch'

/**
 * Ingest's settings from the configuration, for a route that ingests: the
 * retention window, the default country, waiting for resolution when the
 * caller asked (`Prefer: wait=resolved`), backpressure otherwise
 * (collector/docs/pipeline.md), and the live feed (collector/docs/live-events.md).
 *
 * @example
 * const settings = ingestSettings(config, c.get('services'), wantsResolution(c.req.header('prefer')))
 */
export function ingestSettings(
  config: Config,
  services: { log: Logger; resolver: Resolver; eventFeed?: EventFeed },
  wait: boolean,
): IngestSettings {
  return {
    retentionMonths: config.retentionMonths,
    defaultCountry: config.defaultCountry,
    log: services.log,
    resolver: services.resolver,
    feed: services.eventFeed,
    waitMs: wait ? config.resolveWaitMs : undefined,
    backpressure: config.resolverMaxLagMs > 0 ? { maxLagMs: config.resolverMaxLagMs, timeoutMs: config.resolveWaitMs } : undefined,
  }
}
