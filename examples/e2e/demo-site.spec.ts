import { request } from 'node:http'
import { expect, test } from './fixtures'

/** A GET sending `path` as written (fetch would resolve `..` first), with an optional `Host` header. */
function get(origin: string, path: string, host?: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(origin)
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, headers: host ? { host } : {} }, (res) => {
      let body = ''
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

test('the demo site serves the shop, the pixel and its config — and nothing else of the repository', async ({ demo }) => {
  expect((await get(demo.shopUrl, '/')).body).toContain('stratum("init"')
  expect((await get(demo.shopUrl, '/stratum.min.js')).status).toBe(200)
  // The collector's address as this browser sees the shop: localhost here, 127.0.0.1 there.
  const collectorPort = new URL(demo.collectorUrl).port
  for (const host of ['localhost', '127.0.0.1']) {
    const config = await get(demo.shopUrl, '/stratum-config.js', `${host}:${new URL(demo.shopUrl).port}`)
    expect(config.body).toContain(JSON.stringify({ sourceKey: demo.sourceKey, endpoint: `http://${host}:${collectorPort}` }))
  }
  for (const path of ['/package.json', '/README.md', '/../../package.json', '/%2e%2e/%2e%2e/README.md', '/%2e%2e/spa/index.html']) {
    expect((await get(demo.shopUrl, path)).status, path).toBe(404)
  }
  expect((await get(demo.shopUrl, '/%E0%A4%A')).status).toBe(400)
})
