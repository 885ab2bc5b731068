import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createTestApp, type TestApp } from '../../testing/test-app'

const built = (name: string) => readFileSync(new URL(`../../../../pixel/dist/${name}`, import.meta.url))

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

test.each(['stratum.min.js', 'stratum-identity.min.js', 'stratum-device.min.js'])(
  'GET /%s serves the built pixel file, first-party and cacheable',
  async (name) => {
    const res = await t.app.request(`/${name}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600')
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin')
    expect(Buffer.from(await res.arrayBuffer()).equals(built(name))).toBe(true)
  },
)

test('a known ETag is answered 304 with no body', async () => {
  const first = await t.app.request('/stratum.min.js')
  const tag = first.headers.get('etag')
  expect(tag).toBeTruthy()
  const again = await t.app.request('/stratum.min.js', { headers: { 'if-none-match': tag! } })
  expect(again.status).toBe(304)
  expect(await again.text()).toBe('')
})

test.each(['/stratum-evil.min.js', '/stratum.min.js.map', '/..%2Fpackage.json', '/%2E%2E/pixel/package.json', '/index.cjs'])(
  'GET %s is not served: 404 in the error shape',
  async (path) => {
    const res = await t.call('GET', path)
    expect(res.status).toBe(404)
    expect(res.body).toMatchObject({ error: { code: 'not_found' } })
  },
)
