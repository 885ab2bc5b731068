import { type VendorFileName, vendorAssetPath } from '../../http/vendor-assets'

/** Where the OpenAPI document is served. */
export const OPENAPI_PATH = '/openapi.json'

/** Where the docs pages' scripts and styles are served. */
export const DOCS_ASSETS = '/docs/assets'

const vendor = (name: VendorFileName) => vendorAssetPath(DOCS_ASSETS, name)

/**
 * The init scripts, served as files of their own (`/docs/assets/*-init.js`)
 * so that the pages carry no inline script and their Content-Security-Policy
 * can say `script-src 'self'`. Each reads the document's URL from its own
 * `data-spec-url` attribute.
 */
export const INIT_SCRIPTS: Readonly<Record<string, string>> = {
  'swagger-init.js': `'use strict'
SwaggerUIBundle({
  url: document.currentScript.dataset.specUrl,
  dom_id: '#swagger-ui',
  deepLinking: true,
  // The default validator badge sends the document's URL to a public service.
  validatorUrl: null,
})
// Swagger UI leaves the server picker and the request body editor without an
// accessible name (axe: select-name, label); name them as they appear.
new MutationObserver(function () {
  document.querySelectorAll('#servers:not([aria-label])').forEach(function (el) { el.setAttribute('aria-label', 'Server') })
  document.querySelectorAll('textarea.body-param__text:not([aria-label])').forEach(function (el) { el.setAttribute('aria-label', 'Request body') })
}).observe(document.body, { childList: true, subtree: true })
`,
  'redoc-init.js': `'use strict'
Redoc.init(document.currentScript.dataset.specUrl, {}, document.getElementById('redoc'))
`,
}

const page = (title: string, head: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" type="image/png" href="${vendor('favicon-32x32.png')}">
${head}</head>
<body>${body}</body></html>`

/**
 * Swagger UI's page: only same-origin files, no inline script or style.
 *
 * @example
 * c.html(swaggerPage())
 */
export function swaggerPage(): string {
  return page(
    'Stratum CDP API · Swagger UI',
    `<link rel="stylesheet" href="${vendor('swagger-ui.css')}">`,
    `<div id="swagger-ui"></div>
<script src="${vendor('swagger-ui-bundle.js')}"></script>
<script src="${DOCS_ASSETS}/swagger-init.js" data-spec-url="${OPENAPI_PATH}"></script>`,
  )
}

/**
 * ReDoc's page: only same-origin files, no inline script.
 *
 * @example
 * c.html(redocPage())
 */
export function redocPage(): string {
  return page(
    'Stratum CDP API · ReDoc',
    '',
    `<main id="redoc"></main>
<script src="${vendor('redoc.standalone.js')}"></script>
<script src="${DOCS_ASSETS}/redoc-init.js" data-spec-url="${OPENAPI_PATH}"></script>`,
  )
}
