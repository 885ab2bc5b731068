import { randomUUID } from 'node:crypto'
import { createApp } from '../app'
import { mintToken } from '../auth/mint-token'
import { SCOPES, type Scope } from '../auth/scopes'
import { type Config, loadConfig } from '../config'
import type { StratumDatabase } from '../db/create-database'
import { createEventFeed, type EventFeed } from '../live/event-feed'
import { createResolver, type Resolver } from '../resolver/resolver'
import { createTestDatabase } from './test-database'

export const TEST_SECRET = 'test-secret-that-is-at-least-32-characters-long'

/** A collector app on a test database, with helpers to call it as a tenant would. */
export interface TestApp {
  app: ReturnType<typeof createApp>
  database: StratumDatabase
  config: Config
  /** The app's resolver, woken by each ingest, with no sweep. */
  resolver: Resolver
  /** The app's live event feed: LISTEN/NOTIFY on PostgreSQL, in-process on PGlite. */
  eventFeed: EventFeed
  /** A token for `tenantId` with `scopes` (every scope by default). */
  token(tenantId: string, scopes?: readonly Scope[]): Promise<string>
  /**
   * Sends a request with a JSON body and a bearer token, returns status and
   * parsed body. A `POST …/events` waits for resolution (`Prefer:
   * wait=resolved`) unless the test sends its own `prefer` header: tests read
   * the profiles they just fed.
   */
  call(method: string, path: string, options?: CallOptions): Promise<{ status: number; body: any; headers: Headers }>
  close(): Promise<void>
}

export interface CallOptions {
  token?: string
  body?: unknown
  headers?: Record<string, string>
}

/**
 * Builds the real app over a real database for one test file.
 *
 * @example
 * const t = await createTestApp()
 * const { status } = await t.call('GET', '/api/v1/cdp/sources', { token: await t.token(tenant) })
 */
export async function createTestApp(overrides: Partial<Config> = {}, remoteAddress?: string): Promise<TestApp> {
  const database = await createTestDatabase()
  const config = { ...loadConfig({ STRATUM_JWT_SECRET: TEST_SECRET, STRATUM_LOG: 'off', DATABASE_URL: process.env.DATABASE_URL }), ...overrides }
  const resolver = createResolver({ db: database.db, batchSize: config.resolverBatch })
  const eventFeed = createEventFeed({ db: database.db, listen: database.listen })
  const app = createApp({ db: database.db, config, resolver, eventFeed, remoteAddress: () => remoteAddress })
  return {
    app,
    database,
    config,
    resolver,
    eventFeed,
    token: (tenantId, scopes = SCOPES) => mintToken({ secret: TEST_SECRET, tenantId, scopes }),
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers }
      if (method === 'POST' && path.endsWith('/events')) headers.prefer ??= 'wait=resolved'
      if (options.token) headers.authorization = `Bearer ${options.token}`
      let body: string | undefined
      if (options.body !== undefined) {
        body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
        headers['content-type'] ??= 'application/json'
      }
      const res = await app.request(path, { method, headers, body })
      const text = await res.text()
      let parsed: unknown = text
      try {
        parsed = JSON.parse(text)
      } catch {}
      return { status: res.status, body: parsed, headers: res.headers }
    },
    close: async () => {
      eventFeed.close()
      await resolver.close()
      await database.close()
    },
  }
}

/** A fresh tenant id: tests keep apart by tenant, which RLS isolates. */
export const newTenant = () => randomUUID()
