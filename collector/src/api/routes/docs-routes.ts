import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../../http/app-env'
import { VERSION } from '../../version'
import { OPENAPI_PATH } from './docs-pages'
import { docsUiRoutes } from './docs-ui-routes'

/** Every tag an operation uses, described for the docs' navigation. */
const TAGS = [
  { name: 'Events', description: 'Ingest batches of events from browsers (source key) and backends (JWT).' },
  { name: 'Profiles', description: 'Unified profiles resolved from identifiers, and their journeys.' },
  { name: 'Sources', description: 'Where events come from: websites with a public source key, and backends.' },
  { name: 'EMQ', description: 'Event Match Quality: how well events can be matched to people, per source.' },
  { name: 'Privacy', description: 'Consent per purpose and erasure of a person.' },
  { name: 'Health', description: "Storage, version and the tenant's signal health." },
  { name: 'Auth', description: 'Who a credential is: its tenant, scopes and expiry.' },
  { name: 'Segment', description: "Segment's HTTP Tracking API, for Segment and RudderStack clients (collector/docs/segment.md)." },
  { name: 'Destinations', description: 'The Trust Engine: destinations gated by signal health, their held events and deliveries.' },
]

/**
 * Serves the OpenAPI document generated from the zod schemas that validate
 * requests (`/openapi.json`), Swagger UI (`/docs`) and ReDoc (`/redoc`).
 * The document lints clean with Redocly's recommended rules; its server is
 * the collector itself (`/`), since every path carries the API's base path.
 * See collector/docs/api-docs.md.
 *
 * @example
 * mountDocs(app)
 */
export function mountDocs(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
  app.openAPIRegistry.registerComponent('securitySchemes', 'sourceKey', { type: 'apiKey', in: 'header', name: 'X-Source-Key' })
  app.openAPIRegistry.registerComponent('securitySchemes', 'writeKey', {
    type: 'http',
    scheme: 'basic',
    description: 'Segment\'s write key: a source key as the user name, an empty password',
  })
  app.doc31(OPENAPI_PATH, {
    openapi: '3.1.0',
    info: {
      title: 'Stratum CDP collector',
      version: VERSION,
      description: 'First-party customer data: ingest events, resolve identities into profiles, score Event Match Quality.',
      license: { name: 'MIT', url: 'https://spdx.org/licenses/MIT.html' },
    },
    servers: [{ url: '/', description: 'This collector' }],
    tags: TAGS,
  })
  app.route('/', docsUiRoutes())
}
