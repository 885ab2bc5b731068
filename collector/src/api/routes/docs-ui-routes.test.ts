import { afterAll, beforeAll, expect, test } from 'vitest'
import { createTestApp, type TestApp } from '../../testing/test-app'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const PAGES = [
  { path: '/docs', marker: 'swagger-ui', script: /swagger-ui-bundle\.js/ },
  { path: '/redoc', marker: 'redoc', script: /redoc\.standalone\.js/ },
] as const

/** The URLs a page loads: every `src` and `href`. */
const referencesOf = (html: string) => [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!)

/** A CSP header as a map from directive to its sources. */
const directivesOf = (csp: string) =>
  new Map(csp.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...sources]) => [name!, sources]))

const typeOf = (url: string) =>
  url.endsWith('.js') ? 'text/javascript' : url.endsWith('.css') ? 'text/css' : url.endsWith('.png') ? 'image/png' : '?'

test.each(PAGES)('$path loads only same-origin files, with no inline script', async ({ path, marker, script }) => {
  const res = await t.app.request(path)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('text/html')
  const html = await res.text()
  expect(html).toMatch(new RegExp(`<(div|main) id="${marker}">`))
  expect(html).toContain('data-spec-url="/openapi.json"')
  expect(html).toMatch(script)
  const references = referencesOf(html)
  expect(references.length).toBeGreaterThanOrEqual(3)
  for (const url of references) expect(url, 'a path on this origin').toMatch(/^\/(?!\/)/)
  // Every <script> has a src: the init code is a file of its own.
  expect(html.match(/<script\b[^>]*>/g)?.every((tag) => / src="/.test(tag))).toBe(true)
  expect(html).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/)
  expect(html).not.toMatch(/\son[a-z]+=/i)
})

test.each(PAGES)('$path sends a strict Content-Security-Policy and is revalidated on each visit', async ({ path }) => {
  const res = await t.app.request(path)
  const csp = directivesOf(res.headers.get('content-security-policy') ?? '')
  expect(csp.get('default-src')).toEqual(["'none'"])
  expect(csp.get('script-src')).toEqual(["'self'"])
  expect(csp.get('connect-src')).toEqual(["'self'"])
  expect(csp.get('frame-ancestors')).toEqual(["'none'"])
  expect(csp.get('base-uri')).toEqual(["'none'"])
  for (const [directive, sources] of csp) {
    expect(sources, directive).not.toContain("'unsafe-eval'")
    expect(sources, directive).not.toContain("'unsafe-inline'")
    expect(sources.filter((s) => s.startsWith('http') || s === '*'), `${directive} names no other host`).toEqual([])
  }
  expect(res.headers.get('cache-control')).toBe('no-cache')
  expect(res.headers.get('x-content-type-options')).toBe('nosniff')
})

test.each(PAGES)("$path's files are served with their content types and cache headers", async ({ path }) => {
  const references = referencesOf(await (await t.app.request(path)).text())
  for (const url of references) {
    const res = await t.app.request(url, { headers: { 'accept-encoding': 'gzip' } })
    expect(res.status, url).toBe(200)
    expect(res.headers.get('content-type'), url).toContain(typeOf(url))
    expect(res.headers.get('x-content-type-options'), url).toBe('nosniff')
    const body = new Uint8Array(await res.arrayBuffer())
    expect(body.byteLength, url).toBeGreaterThan(0)
    if (url.endsWith('-init.js')) {
      // Ours, and small: revalidated by ETag.
      expect(res.headers.get('cache-control'), url).toBe('no-cache')
      const etag = res.headers.get('etag')
      expect(etag, url).toBeTruthy()
      expect((await t.app.request(url, { headers: { 'if-none-match': etag! } })).status, url).toBe(304)
    } else {
      // The package's own file, at a URL naming its version: kept for good.
      expect(url, url).toMatch(/\/docs\/assets\/(swagger-ui-dist|redoc)@\d+\.\d+\.\d+\//)
      expect(res.headers.get('cache-control'), url).toBe('public, max-age=31536000, immutable')
      if (!url.endsWith('.png')) expect(res.headers.get('content-encoding'), url).toBe('gzip')
    }
  }
})

test('the init scripts start each UI on the document named by their script tag', async () => {
  const swagger = await (await t.app.request('/docs/assets/swagger-init.js')).text()
  expect(swagger).toContain('SwaggerUIBundle(')
  expect(swagger).toContain('document.currentScript.dataset.specUrl')
  expect(swagger).toContain('validatorUrl: null')
  const redoc = await (await t.app.request('/docs/assets/redoc-init.js')).text()
  expect(redoc).toContain('Redoc.init(document.currentScript.dataset.specUrl')
})

test('nothing else of the packages or of the disk can be reached under /docs/assets', async () => {
  const html = await (await t.app.request('/docs')).text()
  const bundle = referencesOf(html).find((url) => url.endsWith('swagger-ui-bundle.js'))!
  const release = bundle.split('/')[3]!
  for (const url of [
    `/docs/assets/${release}/package.json`,
    `/docs/assets/${release}/index.html`,
    `/docs/assets/${release}/..%2Fpackage.json`,
    `/docs/assets/${release}/%2E%2E%2F%2E%2E%2Fpackage.json`,
    '/docs/assets/swagger-ui-dist@0.0.1/swagger-ui-bundle.js',
    `/docs/assets/redoc@${release.split('@')[1]}/swagger-ui-bundle.js`,
    '/docs/assets/constructor/swagger-ui.css',
    '/docs/assets/toString-init.js',
    '/docs/assets/other-init.js',
  ]) {
    const res = await t.call('GET', url)
    expect(res.status, url).toBe(404)
    expect(res.body.error.code, url).toBe('not_found')
  }
})
