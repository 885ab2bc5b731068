import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { StratumDatabase } from './db/create-database'
import { seedDemo } from './seed-demo'
import { listSources } from './sources/create-source'
import { createTestDatabase } from './testing/test-database'

let database: StratumDatabase
const dirs: string[] = []
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'stratum-demo-'))
  dirs.push(dir)
  return dir
}
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database.close()
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

test('the first run creates a demo tenant with a website source; later runs reuse them', async () => {
  const dir = tempDir()
  const first = await seedDemo(database.db, dir)
  expect(first.tenantId).toMatch(/^[0-9a-f-]{36}$/)
  expect(first.sourceKey).toMatch(/^sk_/)
  // The demo shop backend's secret for Purchase event ids: random, kept with the demo.
  expect(first.orderSecret).toMatch(/^[A-Za-z0-9_-]{43}$/)
  expect(JSON.parse(readFileSync(join(dir, 'demo.json'), 'utf8'))).toEqual(first)
  const sources = await listSources(database.db, first.tenantId)
  expect(sources.map((s) => [s.source_type, s.source_key])).toEqual([['website', first.sourceKey]])

  expect(await seedDemo(database.db, dir)).toEqual(first)
  expect(await listSources(database.db, first.tenantId)).toHaveLength(1)
})

test('a reset database gets its demo source back under the remembered tenant', async () => {
  const dir = tempDir()
  const first = await seedDemo(database.db, dir)
  await database.db.deleteFrom('sources').where('tenant_id', '=', first.tenantId).execute()
  const again = await seedDemo(database.db, dir)
  expect(again.tenantId).toBe(first.tenantId)
  expect(again.sourceKey).not.toBe(first.sourceKey)
  expect((await listSources(database.db, first.tenantId)).map((s) => s.source_key)).toEqual([again.sourceKey])
})

test.each(['{not json', '{"tenantId": "acme", "sourceKey": 42}', 'null'])('a mangled demo.json (%s) starts a fresh demo', async (text) => {
  const dir = tempDir()
  writeFileSync(join(dir, 'demo.json'), text)
  const demo = await seedDemo(database.db, dir)
  expect(demo.tenantId).toMatch(/^[0-9a-f-]{36}$/)
  expect((await listSources(database.db, demo.tenantId)).map((s) => s.source_key)).toEqual([demo.sourceKey])
})
