import { describe, expect, test } from 'vitest'
import { loadConfig } from './config'
import { ensureJwtSecret } from './dev-secret'

const SECRET = 'a-secret-of-at-least-thirty-two-characters'

/** The message of the error `work` throws. */
function errorOf(work: () => unknown): string {
  try {
    work()
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('expected an error')
}

describe('loadConfig', () => {
  test('defaults', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      env: 'development',
      port: 8787,
      dataDir: './.stratum',
      retentionMonths: 13,
      dbPool: 10,
      trustedProxies: [],
      jwt: { jwksAlgorithms: ['RS256', 'ES256'] },
    })
    expect(config.databaseUrl).toBeUndefined()
    expect(config.jwt.secret).toBeUndefined()
  })

  test('resolution rounds: 4,000 events on a PostgreSQL server, 1,000 on PGlite, unless set', () => {
    expect(loadConfig({}).resolverBatch).toBe(1000)
    expect(loadConfig({ DATABASE_URL: 'postgres://db/stratum' }).resolverBatch).toBe(4000)
    expect(loadConfig({ DATABASE_URL: 'postgres://db/stratum', STRATUM_RESOLVER_BATCH: '250' }).resolverBatch).toBe(250)
    expect(() => loadConfig({ STRATUM_RESOLVER_BATCH: '0' })).toThrow(/STRATUM_RESOLVER_BATCH/)
  })

  test('the resolver thread: on unless STRATUM_RESOLVER_THREAD=off', () => {
    expect(loadConfig({}).resolverThread).toBe(true)
    expect(loadConfig({ STRATUM_RESOLVER_THREAD: 'off' }).resolverThread).toBe(false)
    expect(() => loadConfig({ STRATUM_RESOLVER_THREAD: 'yes' })).toThrow(/STRATUM_RESOLVER_THREAD/)
  })

  test('reads every variable', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '9000',
      DATABASE_URL: 'postgres://u@db:5432/x',
      STRATUM_DB_POOL: '32',
      STRATUM_JWT_SECRET: SECRET,
      STRATUM_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
      STRATUM_JWT_ALGORITHMS: 'ES256, RS256',
      STRATUM_JWT_ISSUER: 'https://idp.example',
      STRATUM_JWT_AUDIENCE: 'stratum',
      STRATUM_TRUSTED_PROXIES: '10.0.0.0/8, ::1',
      STRATUM_RETENTION_MONTHS: '6',
      STRATUM_DEFAULT_COUNTRY: 'de',
    })
    expect(config).toMatchObject({
      env: 'production',
      port: 9000,
      databaseUrl: 'postgres://u@db:5432/x',
      dbPool: 32,
      jwt: { secret: SECRET, jwksAlgorithms: ['ES256', 'RS256'], issuer: 'https://idp.example', audience: 'stratum' },
      trustedProxies: ['10.0.0.0/8', '::1'],
      retentionMonths: 6,
      defaultCountry: 'DE',
    })
  })

  test('empty variables count as unset', () => {
    const config = loadConfig({ PORT: '', DATABASE_URL: '', STRATUM_JWT_SECRET: '  ', STRATUM_RETENTION_MONTHS: '' })
    expect(config.port).toBe(8787)
    expect(config.databaseUrl).toBeUndefined()
    expect(config.jwt.secret).toBeUndefined()
    expect(config.retentionMonths).toBe(13)
  })

  test('one error names every bad variable', () => {
    const message = errorOf(() =>
      loadConfig({
        PORT: 'abc',
        STRATUM_JWT_SECRET: 'short',
        STRATUM_JWKS_URL: 'not a url',
        STRATUM_RETENTION_MONTHS: '0',
        STRATUM_DEFAULT_COUNTRY: 'Germany',
        NODE_ENV: 'staging',
      }),
    )
    for (const name of ['PORT', 'STRATUM_JWT_SECRET', 'STRATUM_JWKS_URL', 'STRATUM_RETENTION_MONTHS', 'STRATUM_DEFAULT_COUNTRY', 'NODE_ENV']) {
      expect(message).toContain(name)
    }
    expect(message).toMatch(/^Invalid configuration/)
  })

  test('rate limits: defaults no real site reaches, each read from the environment, 0 turns one off', () => {
    expect(loadConfig({}).rateLimits).toEqual({
      clientIp: { perSecond: 50, burst: 100 },
      sourceKey: { perSecond: 1000, burst: 2000 },
      tenant: { perSecond: 500, burst: 1000 },
    })
    const config = loadConfig({
      STRATUM_RATE_LIMIT_IP_PER_SECOND: '0',
      STRATUM_RATE_LIMIT_IP_BURST: '7',
      STRATUM_RATE_LIMIT_SOURCE_KEY_PER_SECOND: '20',
      STRATUM_RATE_LIMIT_SOURCE_KEY_BURST: '40',
      STRATUM_RATE_LIMIT_TENANT_PER_SECOND: '5',
      STRATUM_RATE_LIMIT_TENANT_BURST: '6',
    })
    expect(config.rateLimits).toEqual({
      clientIp: { perSecond: 0, burst: 7 },
      sourceKey: { perSecond: 20, burst: 40 },
      tenant: { perSecond: 5, burst: 6 },
    })
  })

  test.each([
    ['STRATUM_RATE_LIMIT_IP_PER_SECOND', '-1'],
    ['STRATUM_RATE_LIMIT_SOURCE_KEY_PER_SECOND', 'lots'],
    ['STRATUM_RATE_LIMIT_TENANT_BURST', '0'],
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['STRATUM_TRUSTED_PROXIES', '10.0.0.0/33'],
    ['STRATUM_TRUSTED_PROXIES', 'proxy.internal'],
    ['STRATUM_JWT_ALGORITHMS', 'HS256'],
    ['STRATUM_JWT_ALGORITHMS', 'RS256,none'],
    ['STRATUM_DEMO', 'yes'],
    ['STRATUM_DB_POOL', '0'],
    ['STRATUM_DB_POOL', 'many'],
  ])('%s=%s is refused, naming the variable', (name, value) => {
    expect(errorOf(() => loadConfig({ [name]: value }))).toContain(name)
  })
})

describe('ensureJwtSecret', () => {
  test('production without a secret or JWKS refuses, saying what to set', () => {
    const message = errorOf(() => ensureJwtSecret(loadConfig({ NODE_ENV: 'production', STRATUM_DATA_DIR: '/nonexistent/never' })))
    expect(message).toContain('STRATUM_JWT_SECRET')
    expect(message).toContain('STRATUM_JWKS_URL')
  })

  test('production with a JWKS only is fine', () => {
    const { config } = ensureJwtSecret(loadConfig({ NODE_ENV: 'production', STRATUM_JWKS_URL: 'https://idp.example/jwks' }))
    expect(config.jwt.secret).toBeUndefined()
  })

  test('a configured secret is kept as is', () => {
    const result = ensureJwtSecret(loadConfig({ STRATUM_JWT_SECRET: SECRET }))
    expect(result.config.jwt.secret).toBe(SECRET)
    expect(result.generatedAt).toBeUndefined()
  })
})

test('the demo is on in development and off by default in production', () => {
  const secret = 'x'.repeat(32)
  expect(loadConfig({ STRATUM_JWT_SECRET: secret }).demo).toBe(true)
  expect(loadConfig({ STRATUM_JWT_SECRET: secret, NODE_ENV: 'production' }).demo).toBe(false)
  expect(loadConfig({ STRATUM_JWT_SECRET: secret, NODE_ENV: 'production', STRATUM_DEMO: 'on' }).demo).toBe(true)
})

test('the demo shop listens on PORT + 1 unless STRATUM_DEMO_PORT says otherwise', () => {
  const secret = 'x'.repeat(32)
  expect(loadConfig({ STRATUM_JWT_SECRET: secret }).demoPort).toBe(8788)
  expect(loadConfig({ STRATUM_JWT_SECRET: secret, PORT: '3000' }).demoPort).toBe(3001)
  expect(loadConfig({ STRATUM_JWT_SECRET: secret, PORT: '0' }).demoPort).toBe(0)
  expect(loadConfig({ STRATUM_JWT_SECRET: secret, STRATUM_DEMO_PORT: ' ' }).demoPort).toBe(8788)
  expect(loadConfig({ STRATUM_JWT_SECRET: secret, STRATUM_DEMO_PORT: '9000' }).demoPort).toBe(9000)
  for (const bad of ['70000', '-1', '8.5', 'shop']) {
    expect(() => loadConfig({ STRATUM_JWT_SECRET: secret, STRATUM_DEMO_PORT: bad })).toThrow(/STRATUM_DEMO_PORT/)
  }
})
