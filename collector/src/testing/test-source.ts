import { afterAll, beforeAll } from 'vitest'
import type { SourceType } from '../db/schema'
import { createTestApp, newTenant, type TestApp } from './test-app'

/** A source as `POST /sources` answers it. */
export interface CreatedSource {
  id: string
  source_type: SourceType
  /** The key, shown in full only in this answer for `server` and `crm` sources. */
  source_key: string
}

/**
 * Creates a source through the API, as a tenant's admin would, and fails the
 * test unless it is created.
 *
 * @example
 * const shop = await createTestSource(t, tenant, 'website', ['https://shop.example'])
 * await t.call('POST', '/api/v1/cdp/events', { body, headers: { 'x-source-key': shop.source_key } })
 */
export async function createTestSource(
  t: TestApp,
  tenantId: string,
  sourceType: SourceType,
  allowedOrigins: string[] = [],
): Promise<CreatedSource> {
  const res = await t.call('POST', '/api/v1/cdp/sources', {
    token: await t.token(tenantId, ['sources:write']),
    body: { name: `${sourceType} source`, source_type: sourceType, allowed_origins: allowedOrigins },
  })
  if (res.status !== 201) throw new Error(`POST /sources answered ${res.status}: ${JSON.stringify(res.body)}`)
  return res.body as CreatedSource
}

/** A tenant with a website source, and the two ways to write to it: as its page and as its backend. */
export interface TwoSides {
  tenant: string
  /** A JWT with every scope: the backend, and the tests' own reads. */
  token: string
  publicKey: string
  /** Sends a body with the public source key, as the pixel does. */
  fromBrowser(path: string, body: unknown): ReturnType<TestApp['call']>
  /** Sends a body with the JWT, as a backend does. */
  fromServer(path: string, body: unknown): ReturnType<TestApp['call']>
}

/**
 * A fresh tenant with a website source, for tests of what browser trust may
 * and may not do to a backend's data.
 *
 * @example
 * const { fromBrowser, fromServer } = await twoSides(t)
 * await fromBrowser('/api/v1/cdp/events', { events })
 */
export async function twoSides(t: TestApp): Promise<TwoSides> {
  const tenant = newTenant()
  const token = await t.token(tenant)
  const publicKey = (await createTestSource(t, tenant, 'website')).source_key
  return {
    tenant,
    token,
    publicKey,
    fromBrowser: (path, body) => t.call('POST', path, { body, headers: { 'x-source-key': publicKey } }),
    fromServer: (path, body) => t.call('POST', path, { body, token }),
  }
}

/**
 * For one test file: a test app and `twoSides` of a fresh tenant, set up
 * before its tests and closed after them.
 *
 * @example
 * const setup = useTwoSides()
 * test('…', async () => { await setup.sides.fromBrowser(EVENTS, { events }) })
 */
export function useTwoSides(): { t: TestApp; sides: TwoSides } {
  const setup = {} as { t: TestApp; sides: TwoSides }
  beforeAll(async () => {
    setup.t = await createTestApp()
    setup.sides = await twoSides(setup.t)
  })
  afterAll(() => setup.t.close())
  return setup
}
