import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Hono } from 'hono'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { AppEnv } from '../../http/app-env'
import { handleError } from '../../http/handle-error'
import { createTestApp, type TestApp } from '../../testing/test-app'
import { CONSOLE_CSP, consoleRoutes } from './console-routes'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

/** The URLs index.html loads: every `src` and `href`. */
const referencesOf = (html: string) => [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!)

const CLIENT_ROUTES = ['/console', '/console/', '/console/live', '/console/profiles', '/console/profiles/p-1', '/console/sources', '/console/destinations', '/console/roi']

test.each(CLIENT_ROUTES)('%s answers the built index.html under the strict CSP', async (path) => {
  const res = await t.app.request(path)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('text/html')
  expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP)
  expect(res.headers.get('cache-control')).toBe('no-cache')
  const html = await res.text()
  expect(html).toContain('<div id="app"></div>')
  // Every script is a file of the console's own; there is no inline code to allow.
  expect(html.match(/<script\b[^>]*>/g)?.every((tag) => / src="\/console\/assets\//.test(tag))).toBe(true)
  expect(html).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/)
  expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i)
})

test('the policy allows nothing inline, no eval and no other origin', () => {
  expect(CONSOLE_CSP).not.toMatch(/unsafe-|https?:|\*/)
  expect(CONSOLE_CSP).toContain("default-src 'none'")
  expect(CONSOLE_CSP).toContain("frame-ancestors 'none'")
})

test('every file index.html loads is served with its type and cached for good', async () => {
  const assets = referencesOf(await (await t.app.request('/console/')).text()).filter((url) => url.startsWith('/console/assets/'))
  expect(assets.some((url) => url.endsWith('.js'))).toBe(true)
  expect(assets.some((url) => url.endsWith('.css'))).toBe(true)
  for (const url of assets) {
    const res = await t.app.request(url, { headers: { 'accept-encoding': 'gzip' } })
    expect(res.status, url).toBe(200)
    expect(res.headers.get('content-type')).toMatch(url.endsWith('.js') ? /^text\/javascript/ : /^text\/css/)
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(res.headers.get('content-encoding')).toBe('gzip')
  }
})

test.each(['/console/assets/nothing-here.js', '/console/assets/..%2Fpackage.json', '/console/assets/index.html', '/console/elsewhere'])(
  '%s is not found',
  async (path) => {
    const res = await t.app.request(path)
    expect(res.status).toBe(404)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found')
  },
)

test('without a build, the console answers 503 with a page that says to run pnpm build', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'stratum-console-'))
  const app = new Hono<AppEnv>().onError(handleError).route('/', consoleRoutes({ dist: () => join(empty, 'dist') }))
  for (const path of ['/console', '/console/live']) {
    const res = await app.request(path)
    expect(res.status).toBe(503)
    expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP)
    expect(await res.text()).toContain('Run <code>pnpm build</code>')
  }
})
