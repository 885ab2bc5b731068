import { afterAll, beforeAll } from 'vitest'
import type { Config } from '../config'
import { createTestApp, newTenant, type TestApp } from './test-app'

/** A test file's app, with a fresh tenant and a token for it carrying every scope. */
export interface TenantApp {
  t: TestApp
  tenant: string
  token: string
}

/**
 * Builds the app before the file's (or describe block's) tests and closes
 * it after them. The fields are set once `beforeAll` has run, so read them
 * inside tests and hooks only.
 *
 * @example
 * const app = useTestApp()
 * test('…', async () => {
 *   await app.t.call('GET', '/api/v1/cdp/sources', { token: app.token })
 * })
 */
export function useTestApp(overrides: Partial<Config> = {}): TenantApp {
  const app = {} as TenantApp
  beforeAll(async () => {
    app.t = await createTestApp(overrides)
    app.tenant = newTenant()
    app.token = await app.t.token(app.tenant)
  })
  afterAll(() => app.t.close())
  return app
}
