import { type ChildProcess, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { mintToken } from '../auth/mint-token'
import { SCOPES } from '../auth/scopes'
import { type FakeGraphApi, startFakeGraphApi } from '../testing/fake-graph-api'
import { webEvent } from '../testing/trust-engine'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const SECRET = 'restart-test-secret-that-is-at-least-32-characters'
const dataDir = mkdtempSync(join(tmpdir(), 'stratum-restart-'))
let graph: FakeGraphApi
const children: ChildProcess[] = []
beforeAll(async () => {
  graph = await startFakeGraphApi()
})
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL')
  await graph.close()
  rmSync(dataDir, { recursive: true, force: true })
})

/** Starts a collector process (`stratum start`) on the shared data folder or DATABASE_URL; resolves with its URL. */
function startCollector(): Promise<{ child: ChildProcess; url: string }> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    PORT: '0',
    HOST: '127.0.0.1',
    STRATUM_DATA_DIR: dataDir,
    STRATUM_JWT_SECRET: SECRET,
    STRATUM_DEMO: 'off',
    STRATUM_DELIVERY_TIMEOUT_MS: '1000',
    STRATUM_DELIVERY_POLL_MS: '100',
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
  }
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'collector/src/cli.ts'), 'start'], { cwd: ROOT, env })
  children.push(child)
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk) => {
      out += chunk
      const listening = /"msg":"listening","url":"([^"]+)"/.exec(out)
      if (listening) resolve({ child, url: `${listening[1]}/api/v1/cdp` })
    })
    child.once('exit', (code) => reject(new Error(`the collector exited with ${code}`)))
  })
}

test('a collector killed mid-delivery delivers every event after a restart, with the same event ids', { timeout: 120_000 }, async () => {
  const first = await startCollector()
  const token = await mintToken({ secret: SECRET, tenantId: randomUUID(), scopes: SCOPES })
  const call = (url: string, method: string, path: string, body?: unknown) =>
    fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
  const held = graph.hold()
  const created = await call(first.url, 'POST', '/destinations', {
    name: 'Meta', type: 'meta_capi', config: { pixel_id: '1', access_token: 'EAAB', api_base_url: graph.url }, policy: { override: true, level: 'full' },
  })
  const destination = (await created.json()) as { id: string }
  const events = Array.from({ length: 20 }, () => webEvent('Purchase', 'rich', { action_source: 'other' }))
  expect((await call(first.url, 'POST', '/events', { events })).status).toBe(200)
  while (graph.requests.length === 0) await new Promise((r) => setTimeout(r, 50))
  // The worker's request is in flight, unanswered: kill the collector there.
  first.child.kill('SIGKILL')
  await new Promise((resolve) => first.child.once('exit', resolve))
  held.release()

  const second = await startCollector()
  let delivered: Array<{ event_id: string }> = []
  for (let i = 0; i < 300 && delivered.length < events.length; i++) {
    await new Promise((r) => setTimeout(r, 100))
    const res = await call(second.url, 'GET', `/destinations/${destination.id}/deliveries?status=delivered&limit=100`)
    delivered = ((await res.json()) as { deliveries: Array<{ event_id: string }> }).deliveries
  }
  second.child.kill('SIGTERM')
  const ids = events.map((e) => e.event_id).sort()
  expect(delivered.map((d) => d.event_id).sort()).toEqual(ids)
  // Sent twice — once by the killed collector, once after the restart — with the same event_ids, so Meta deduplicates.
  expect(graph.requests).toHaveLength(2)
  for (const request of graph.requests) expect(request.body.data.map((e: { event_id: string }) => e.event_id).sort()).toEqual(ids)
})
