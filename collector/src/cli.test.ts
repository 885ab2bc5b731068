import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  assertCliBuilt,
  exitOf,
  expectCliFailure as expectFailure,
  removeTempDirs,
  runCli as run,
  startCli,
  tempDir,
} from './testing/cli-process'

const SECRET = 'cli-test-secret-that-is-at-least-32-characters'

beforeAll(assertCliBuilt)
afterAll(removeTempDirs)

// Stateless runs that open no database: concurrent.
describe.concurrent('stratum token', () => {
  test('mints an HS256 JWT for the tenant and scopes, verifiable with STRATUM_JWT_SECRET', async () => {
    const tenant = randomUUID()
    const result = await run(['token', '--tenant', tenant, '--scope', 'profiles:read'], { STRATUM_JWT_SECRET: SECRET })
    expect(result.code).toBe(0)
    const token = result.stdout.trim()
    expect(token.split('.')).toHaveLength(3)
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(SECRET), { algorithms: ['HS256'] })
    expect(protectedHeader.alg).toBe('HS256')
    expect(payload.tenant_id).toBe(tenant)
    expect(payload.scope).toBe('profiles:read')
    expect(payload.exp! - payload.iat!).toBe(3600)
  })

  test('--ttl and several scopes', async () => {
    const result = await run(['token', '--tenant', randomUUID(), '--scope', 'events:write sources:read', '--ttl', '60'], {
      STRATUM_JWT_SECRET: SECRET,
    })
    const { payload } = await jwtVerify(result.stdout.trim(), new TextEncoder().encode(SECRET))
    expect(payload.scope).toBe('events:write sources:read')
    expect(payload.exp! - payload.iat!).toBe(60)
  })

  test.each([
    [['token', '--tenant', 'acme'], /--tenant must be a tenant UUID/],
    [['token'], /--tenant must be a tenant UUID/],
    [['token', '--tenant', randomUUID(), '--scope', 'profiles:read bogus'], /unknown: bogus/],
    [['token', '--tenant', randomUUID(), '--scope', ''], /--scope must name/],
    [['token', '--tenant', randomUUID(), '--ttl', '-5'], /--ttl/],
    [['token', '--nope'], /Unknown option '--nope'/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('%j → exit 1 with a clear message', async (args, message) => {
    expectFailure(await run(args, { STRATUM_JWT_SECRET: SECRET }), message)
  })

  test('in production without a secret it refuses', async () => {
    expectFailure(await run(['token', '--tenant', randomUUID()], { NODE_ENV: 'production' }), /STRATUM_JWT_SECRET/)
  })
})

describe.concurrent('configuration and start-up', () => {
  test('--help prints the usage', async () => {
    const result = await run(['--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Usage:')
    expect(result.stdout).toContain('stratum start')
  })

  test('NODE_ENV=production with no secret or JWKS: start refuses with a clear message and writes nothing', async () => {
    const dataDir = join(tempDir(), 'data')
    const result = await run(['start'], { NODE_ENV: 'production', STRATUM_DATA_DIR: dataDir, PORT: '0' })
    expectFailure(result, /NODE_ENV=production needs STRATUM_JWT_SECRET .*or STRATUM_JWKS_URL/)
    expect(existsSync(dataDir)).toBe(false)
  })

  test('validation errors list every bad variable', async () => {
    const result = await run(['start'], { PORT: 'abc', STRATUM_RETENTION_MONTHS: 'forever', STRATUM_TRUSTED_PROXIES: 'proxy.local' })
    expectFailure(result, /Invalid configuration/)
    expect(result.stderr).toContain('PORT')
    expect(result.stderr).toContain('STRATUM_RETENTION_MONTHS')
    expect(result.stderr).toContain('STRATUM_TRUSTED_PROXIES')
  })
})

// Each of these opens embedded PostgreSQL, seconds of CPU: one at a time.
describe('tenants and sources', () => {
  const dataDir = tempDir()

  test('migrate, tenant create, source create', async () => {
    const migrate = await run(['migrate'], { STRATUM_DATA_DIR: dataDir })
    expect(migrate.code).toBe(0)
    expect(migrate.stdout).toContain('schema is up to date')

    const tenant = await run(['tenant', 'create', '--name', 'Acme'], { STRATUM_DATA_DIR: dataDir })
    expect(tenant.code).toBe(0)
    const tenantId = tenant.stdout.trim()
    expect(tenantId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)

    const source = await run(['source', 'create', '--tenant', tenantId, '--name', 'Shop', '--origin', 'https://shop.example'], {
      STRATUM_DATA_DIR: dataDir,
    })
    expect(source.code).toBe(0)
    const created = JSON.parse(source.stdout)
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(created.source_key).toMatch(/^sk_/)
  }, 120_000)

  test.each([
    [['--name', 'Shop', '--origin', 'https://shop.example/checkout'], /--origin/],
    [['--name', 'Shop', '--origin', 'shop.example'], /--origin/],
    [['--name', 'Shop', '--type', 'fax'], /--type/],
    [[], /--name/],
  ])('source create %j → exit 1 before touching the database', async (extra, message) => {
    const dir = join(tempDir(), 'untouched')
    expectFailure(await run(['source', 'create', '--tenant', randomUUID(), ...extra], { STRATUM_DATA_DIR: dir }), message)
    expect(existsSync(dir)).toBe(false)
  })

  test('migrate does not need a JWT secret, even in production', { timeout: 60_000 }, async () => {
    const result = await run(['migrate'], { NODE_ENV: 'production', STRATUM_DATA_DIR: tempDir() })
    expect(result.code).toBe(0)
  })
})

describe('stratum start', () => {
  test('first run in development: generates a secret, seeds the demo, prints a working JWT; SIGTERM exits 0', async () => {
    const dataDir = tempDir()
    const { child, ready, stderr } = startCli({ STRATUM_DATA_DIR: dataDir })
    try {
      const banner = await ready
      const url = /API:\s+(\S+)/.exec(banner)![1]!
      const token = /Dev JWT:\s+(\S+)/.exec(banner)![1]!
      expect(banner).toContain('a development secret was generated')
      const secret = readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim()
      const { payload } = await jwtVerify(token, new TextEncoder().encode(secret))
      expect(banner).toContain(String(payload.tenant_id))
      const health = await fetch(`${url}/health`, { headers: { authorization: `Bearer ${token}` } })
      expect(health.status).toBe(200)
      const pixel = await fetch(/Pixel:\s+(\S+)/.exec(banner)![1]!)
      expect([pixel.status, pixel.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8'])
      // The console link signs in with the same token, carried in the fragment (which no server receives).
      const consoleLink = new URL(/Console:\s+(\S+)/.exec(banner)![1]!)
      expect(consoleLink.hash).toBe(`#token=${token}`)
      const page = await fetch(consoleLink)
      expect([consoleLink.pathname, page.status]).toEqual(['/console/', 200])
    } finally {
      const exited = exitOf(child)
      child.kill('SIGTERM')
      expect(await exited, stderr()).toBe(0)
    }
  }, 120_000)

  test('a data folder that does not exist yet is created first: the demo is seeded and remembered there', async () => {
    const dataDir = join(tempDir(), 'not', 'yet')
    const { child, ready, stderr } = startCli({ STRATUM_DATA_DIR: dataDir, STRATUM_JWT_SECRET: SECRET })
    try {
      const banner = await ready
      const saved = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8'))
      expect(banner).toContain(saved.tenantId)
      expect(banner).toContain(saved.sourceKey)
    } finally {
      const exited = exitOf(child)
      child.kill('SIGTERM')
      expect(await exited, stderr()).toBe(0)
    }
  }, 120_000)

  test('a data folder that cannot be created: start fails at once with a clear message, before it listens', async () => {
    const file = join(tempDir(), 'a-file')
    writeFileSync(file, '')
    const result = await run(['start'], { STRATUM_DATA_DIR: join(file, 'data'), STRATUM_JWT_SECRET: SECRET, PORT: '0' })
    expectFailure(result, /STRATUM_DATA_DIR/)
    expect(result.stdout).not.toContain('is running')
  }, 120_000)

  test('with only a JWKS configured it starts (no dev JWT to mint) and stops cleanly', async () => {
    const { child, ready, stderr } = startCli({ STRATUM_DATA_DIR: tempDir(), STRATUM_JWKS_URL: 'http://127.0.0.1:1/jwks.json' })
    try {
      const banner = await ready
      expect(banner).toContain('STRATUM_JWKS_URL')
      expect(banner).not.toContain('Dev JWT')
    } finally {
      const exited = exitOf(child)
      child.kill('SIGTERM')
      expect(await exited, stderr()).toBe(0)
    }
  }, 120_000)
})
