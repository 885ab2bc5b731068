import { createConfig, lintFromString } from '@redocly/openapi-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createTestApp, type TestApp } from '../../testing/test-app'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

test('/openapi.json lists every route of the API with its methods', async () => {
  const res = await t.call('GET', '/openapi.json')
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('application/json')
  const doc = res.body
  expect(doc.openapi).toMatch(/^3\.1/)
  const expected: Record<string, string[]> = {
    '/api/v1/cdp/events': ['post'],
    '/api/v1/cdp/sources': ['get', 'post'],
    '/api/v1/cdp/profiles': ['get'],
    '/api/v1/cdp/profiles/{id}': ['get'],
    '/api/v1/cdp/profiles/{id}/events': ['get'],
    '/api/v1/cdp/health': ['get'],
  }
  for (const [path, methods] of Object.entries(expected)) {
    expect(Object.keys(doc.paths), path).toContain(path)
    for (const method of methods) expect(doc.paths[path][method], `${method} ${path}`).toBeDefined()
  }
  expect(Object.keys(doc.components.securitySchemes)).toEqual(expect.arrayContaining(['bearer', 'sourceKey']))
})

test('the documented request schemas are the validating ones', async () => {
  const doc = (await t.call('GET', '/openapi.json')).body
  const events = doc.paths['/api/v1/cdp/events'].post
  expect(Object.keys(events.requestBody.content)).toEqual(expect.arrayContaining(['application/json', 'text/plain']))
  const source = JSON.stringify(doc.paths['/api/v1/cdp/sources'].post.requestBody)
  expect(source).toMatch(/NewSource|source_type/)
  expect(JSON.stringify(doc.components.schemas.Event ?? {})).toContain('event_name')
  // Error responses carry the one error shape.
  expect(JSON.stringify(events.responses['413'])).toContain('Error')
})

test('the OpenAPI document lints clean with Redocly\'s recommended rules', async () => {
  const source = await (await t.app.request('/openapi.json')).text()
  const config = await createConfig({ extends: ['recommended'] })
  const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config })
  const described = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)
  expect(described).toEqual([])
})

test('every operation has a descriptive operationId for generated clients, and the server is the collector', async () => {
  const doc = (await t.call('GET', '/openapi.json')).body
  const ids = Object.values(doc.paths).flatMap((item: any) => Object.values(item).map((op: any) => op.operationId))
  const operations = Object.values(doc.paths).flatMap((item: any) => Object.keys(item))
  expect(ids).toHaveLength(operations.length)
  expect(ids.every((id: unknown) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true)
  expect(ids).toEqual(
    expect.arrayContaining(['ingestEvents', 'getProfile', 'findProfile', 'listProfileEvents', 'createSource', 'rotateSourceKey']),
  )
  expect(new Set(ids).size).toBe(ids.length)
  expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })])
})
