import type { OpenAPIHono } from '@hono/zod-openapi'
import { swaggerUI } from '@hono/swagger-ui'
import type { AppEnv } from '../../http/app-env'
import { VERSION } from '../../version'

const REDOC_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Stratum CDP API</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><redoc spec-url="/openapi.json"></redoc>
<script src="https://cdn.redoc.ly/redoc/latest/bundles/redoc.standalone.js"></script></body></html>`

/**
 * Serves the OpenAPI document generated from the zod schemas that validate
 * requests (`/openapi.json`), Swagger UI (`/docs`) and ReDoc (`/redoc`).
 * The two UIs load their scripts from public CDNs in the reader's browser.
 *
 * @example
 * mountDocs(app)
 */
export function mountDocs(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
  app.openAPIRegistry.registerComponent('securitySchemes', 'sourceKey', { type: 'apiKey', in: 'header', name: 'X-Source-Key' })
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Stratum CDP collector',
      version: VERSION,
      description: 'First-party customer data: ingest events, resolve identities into profiles, score Event Match Quality.',
    },
  })
  app.get('/docs', swaggerUI({ url: '/openapi.json' }))
  app.get('/redoc', (c) => c.html(REDOC_PAGE))
}
