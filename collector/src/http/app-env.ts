import type { TimingVariables } from 'hono/timing'
import type { Kysely } from 'kysely'
import type { AuthContext } from '../auth/scopes'
import type { Config } from '../config'
import type { Database } from '../db/schema'
import type { SecretBox } from '../destinations/secret-box'
import type { EventFeed } from '../live/event-feed'
import type { Logger } from '../log'
import type { Resolver } from '../resolver/resolver'
import type { RateLimits } from './rate-limit'

/** What every request handler can reach through `c.var`. */
export interface AppServices {
  db: Kysely<Database>
  config: Config
  log: Logger
  /** The remote address of the TCP connection, when the runtime knows it. */
  remoteAddress: (c: import('hono').Context) => string | undefined
  /** Token buckets of this process (`limitClientIp`, `limitCredential`). */
  rateLimits: RateLimits
  /** This process's resolver of appended events (collector/docs/pipeline.md). */
  resolver: Resolver
  /** The tenants' live events: ingest publishes, `GET /events/stream` subscribes (collector/docs/live-events.md). */
  eventFeed: EventFeed
  /** Seals and opens destination secrets (`destinations/secret-box.ts`). */
  secretBox: SecretBox
}

/** Hono's environment type for the collector app. */
export interface AppEnv {
  Variables: {
    services: AppServices
    auth: AuthContext
  } & TimingVariables
}
