import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { Kysely } from 'kysely'
import { analyticsJsRoutes } from './api/routes/analytics-js-routes'
import { consentRoutes } from './api/routes/consent-routes'
import { consoleRoutes } from './api/routes/console-routes'
import { deliveriesRoutes } from './api/routes/deliveries-routes'
import { destinationsRoutes } from './api/routes/destinations-routes'
import { emqRoutes } from './api/routes/emq-routes'
import { erasureRoutes } from './api/routes/erasure-routes'
import { eventsRoute } from './api/routes/events-route'
import { eventsStreamRoute } from './api/routes/events-stream-route'
import { healthRoutes, probeRoutes } from './api/routes/health-routes'
import { meRoutes } from './api/routes/me-routes'
import { mountDocs } from './api/routes/docs-routes'
import { pixelRoutes } from './api/routes/pixel-routes'
import { profilesRoutes } from './api/routes/profiles-routes'
import { roiRoutes } from './api/routes/roi-routes'
import { segmentRoutes } from './api/routes/segment-routes'
import { sourcesRoutes } from './api/routes/sources-routes'
import { storedEventRoutes } from './api/routes/stored-event-routes'
import { trustRoutes } from './api/routes/trust-routes'
import type { Authenticator } from './auth/authenticate'
import { createJwtVerifier } from './auth/verify-jwt'
import type { Config } from './config'
import type { Database } from './db/schema'
import { createSecretBox } from './destinations/secret-box'
import { StratumError } from './errors'
import type { AppEnv, AppServices } from './http/app-env'
import { createProxyMatcher } from './http/client-ip'
import { handleError } from './http/handle-error'
import { createRateLimits } from './http/rate-limit'
import { requestLog } from './http/request-log'
import { createEventFeed, type EventFeed } from './live/event-feed'
import { createLogger, type Logger } from './log'
import { createResolver, type Resolver } from './resolver/resolver'
import { createSourceKeyLookup } from './sources/source-key-cache'

/** The API's base path. */
export const API_BASE = '/api/v1/cdp'

/** What `createApp` needs. */
export interface AppOptions {
  db: Kysely<Database>
  config: Config
  log?: Logger
  /** Reads the TCP peer's address; the Node server passes one, `app.request()` has none. */
  remoteAddress?: (c: Context) => string | undefined
  /**
   * The process's resolver; the server passes one with a sweep and closes it.
   * Without one, the app makes its own that runs only when woken (tests).
   */
  resolver?: Resolver
  /**
   * The process's live event feed; the server passes one that LISTENs on a
   * PostgreSQL server and closes it. Without one, the app makes an
   * in-process feed (collector/docs/live-events.md).
   */
  eventFeed?: EventFeed
}

/**
 * Builds the collector's Hono app. It holds no state beyond small caches, so
 * any number of replicas can serve one database; tests run it in-process
 * with `app.request()`.
 *
 * @example
 * const app = createApp({ db, config })
 * const res = await app.request('/livez')
 */
export function createApp(options: AppOptions) {
  const trustedProxies = createProxyMatcher(options.config.trustedProxies)
  const log = options.log ?? createLogger(options.config.log)
  const services: AppServices = {
    db: options.db,
    config: options.config,
    log,
    remoteAddress: options.remoteAddress ?? (() => undefined),
    // Per app, in memory: collector/docs/limits.md ("Rate limits").
    rateLimits: createRateLimits(options.config.rateLimits, trustedProxies),
    resolver: options.resolver ?? createResolver({ db: options.db, log, batchSize: options.config.resolverBatch }),
    secretBox: createSecretBox(options.config),
    eventFeed: options.eventFeed ?? createEventFeed({ db: options.db, log }),
  }
  const authenticator: Authenticator = {
    db: options.db,
    verifyJwt: createJwtVerifier(options.config.jwt),
    lookupSourceKey: createSourceKeyLookup(options.db),
  }
  const app = new OpenAPIHono<AppEnv>()
  app.use(async (c, next) => {
    c.set('services', services)
    await next()
  })
  app.use(requestLog())
  app.onError(handleError)
  app.notFound(() => {
    throw new StratumError(404, 'not_found', 'No such route')
  })
  app.route('/', probeRoutes())
  app.route('/', pixelRoutes())
  app.route(API_BASE, eventsRoute(authenticator, trustedProxies))
  // Before any `/events/{event_id}`: `stream` is no event id.
  app.route(API_BASE, eventsStreamRoute(authenticator))
  app.route(API_BASE, sourcesRoutes(authenticator))
  app.route(API_BASE, profilesRoutes(authenticator))
  app.route(API_BASE, healthRoutes(authenticator))
  app.route(API_BASE, emqRoutes(authenticator))
  app.route(API_BASE, consentRoutes(authenticator))
  app.route(API_BASE, erasureRoutes(authenticator))
  // Segment's HTTP Tracking API and what analytics.js loads, at the paths Segment's clients use.
  app.route('/', segmentRoutes(authenticator, trustedProxies))
  app.route('/', analyticsJsRoutes(authenticator, trustedProxies))
  app.route(API_BASE, destinationsRoutes(authenticator))
  app.route(API_BASE, deliveriesRoutes(authenticator))
  app.route(API_BASE, trustRoutes(authenticator))
  app.route(API_BASE, meRoutes(authenticator))
  app.route(API_BASE, roiRoutes(authenticator))
  // Last of the `/events/…` routes: its `{event_id}` would match a fixed path such as the live stream.
  app.route(API_BASE, storedEventRoutes(authenticator))
  mountDocs(app)
  app.route('/', consoleRoutes())
  return app
}

/** The collector app's type, for typed clients (`hono/client`). */
export type StratumApp = ReturnType<typeof createApp>
