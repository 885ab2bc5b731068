import ipaddr from 'ipaddr.js'
import { z } from 'zod'
import { StratumError } from './errors'
import { DEFAULT_ROUND_SIZE } from './resolver/resolver'

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional()

/** A whole number from the environment; an empty variable counts as unset (not as 0). */
const optionalInteger = (min: number, max: number) =>
  z.preprocess((value) => (value === '' ? undefined : value), z.coerce.number().int().min(min).max(max).optional())
const integer = (min: number, max: number, fallback: number) => optionalInteger(min, max).transform((value) => value ?? fallback)

/** A comma-separated list, each entry checked by `valid`. */
const list = (valid: (entry: string) => boolean, what: string, fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
    .superRefine((entries, ctx) => {
      for (const entry of entries.filter((e) => !valid(e))) ctx.addIssue({ code: 'custom', message: `"${entry}" is not ${what}` })
    })

/**
 * Asymmetric algorithms a JWKS may sign with. HS* is refused here so that a
 * public key from the JWKS can never be used as an HMAC secret.
 */
const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']

/** One encryption key: `id:base64` of 32 random bytes. */
const isEncryptionKey = (entry: string) => {
  const [id, key, extra] = entry.split(':')
  return extra === undefined && /^[A-Za-z0-9_-]{1,32}$/.test(id ?? '') && Buffer.from(key ?? '', 'base64').length === 32
}

const isProxy = (entry: string) => (entry.includes('/') ? ipaddr.isValidCIDR(entry) : ipaddr.isValid(entry))

const ConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: integer(0, 65535, 8787),
    HOST: z.string().default('0.0.0.0'),
    DATABASE_URL: optionalString,
    STRATUM_DB_POOL: integer(1, 1000, 10),
    STRATUM_DATA_DIR: z.string().default('./.stratum'),
    // Checked on the field, not in an object refinement, which zod skips when
    // any other variable is bad: one error must name every bad variable.
    STRATUM_JWT_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    STRATUM_JWKS_URL: optionalString.pipe(z.url().optional()),
    STRATUM_JWT_ALGORITHMS: list((a) => JWKS_ALGORITHMS.includes(a), `one of ${JWKS_ALGORITHMS.join(', ')}`, 'RS256,ES256'),
    STRATUM_JWT_ISSUER: optionalString,
    STRATUM_JWT_AUDIENCE: optionalString,
    STRATUM_TRUSTED_PROXIES: list(isProxy, 'an IP address or CIDR', ''),
    STRATUM_RETENTION_MONTHS: integer(1, 120, 13),
    STRATUM_DEFAULT_COUNTRY: optionalString.pipe(
      z
        .string()
        .regex(/^[A-Za-z]{2}$/, 'must be an ISO-3166 alpha-2 code')
        .transform((c) => c.toUpperCase())
        .optional(),
    ),
    STRATUM_DEMO: z.enum(['on', 'off']).optional(),
    STRATUM_DEMO_PORT: z.preprocess(
      (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
      z.coerce.number().int().min(0).max(65535).optional(),
    ),
    STRATUM_LOG: z.enum(['on', 'off']).default('on'),
    STRATUM_SERVER_TIMING: z.enum(['on', 'off']).default('off'),
    STRATUM_SHUTDOWN_TIMEOUT_MS: integer(0, 3_600_000, 10_000),
    // Rate limits (collector/docs/limits.md, "Rate limits"): requests per second (0: off) and burst.
    STRATUM_RATE_LIMIT_IP_PER_SECOND: integer(0, 1_000_000, 50),
    STRATUM_RATE_LIMIT_IP_BURST: integer(1, 1_000_000, 100),
    STRATUM_RATE_LIMIT_SOURCE_KEY_PER_SECOND: integer(0, 1_000_000, 1000),
    STRATUM_RATE_LIMIT_SOURCE_KEY_BURST: integer(1, 1_000_000, 2000),
    STRATUM_RATE_LIMIT_TENANT_PER_SECOND: integer(0, 1_000_000, 500),
    STRATUM_RATE_LIMIT_TENANT_BURST: integer(1, 1_000_000, 1000),
    // Resolution after the durable append (collector/docs/pipeline.md).
    STRATUM_RESOLVER_BATCH: optionalInteger(1, 100_000),
    STRATUM_RESOLVER_SWEEP_MS: integer(0, 3_600_000, 1000),
    STRATUM_RESOLVER_THREAD: z.enum(['on', 'off']).default('on'),
    STRATUM_RESOLVE_WAIT_MS: integer(0, 600_000, 10_000),
    STRATUM_RESOLVER_MAX_LAG_MS: integer(0, 3_600_000, 30_000),
    // Trust Engine (collector/docs/trust-engine.md).
    STRATUM_ENCRYPTION_KEYS: list(isEncryptionKey, 'an encryption key "id:base64 of 32 bytes"', ''),
    STRATUM_DELIVERY: z.enum(['on', 'off']).default('on'),
    STRATUM_DELIVERY_MAX_ATTEMPTS: integer(1, 100, 10),
    STRATUM_HELD_EXPIRY_HOURS: integer(1, 24 * 365, 168),
    STRATUM_DELIVERY_TIMEOUT_MS: integer(100, 300_000, 20_000),
    STRATUM_DELIVERY_POLL_MS: integer(10, 60_000, 1000),
  })

/** A sustained rate with room for a burst; `perSecond: 0` means no limit. */
export interface RateLimit {
  perSecond: number
  burst: number
}

/** The collector's validated configuration. */
export interface Config {
  env: 'development' | 'production' | 'test'
  port: number
  host: string
  databaseUrl?: string
  /** PostgreSQL connections each collector process may open (PGlite has one). */
  dbPool: number
  dataDir: string
  jwt: {
    secret?: string
    jwksUrl?: string
    /** Algorithms accepted from the JWKS; HS256 is the only one used with `secret`. */
    jwksAlgorithms: string[]
    issuer?: string
    audience?: string
  }
  /** IPs or CIDRs of reverse proxies whose `X-Forwarded-For` is trusted. */
  trustedProxies: string[]
  retentionMonths: number
  defaultCountry?: string
  demo: boolean
  /**
   * The demo shop's port: another origin than the API, as in real life.
   * `PORT` + 1 by default; with `PORT=0` the OS picks both.
   */
  demoPort: number
  log: boolean
  /** A `Server-Timing` header on ingest's answers (collector/docs/pipeline.md, "Where a batch's time goes"). */
  serverTiming: boolean
  shutdownTimeoutMs: number
  /** Per process, in memory (collector/docs/limits.md, "Rate limits"). */
  rateLimits: {
    /** Requests with a public source key, and failed authentications, per client IP. */
    clientIp: RateLimit
    /** Requests with a public source key, per source. */
    sourceKey: RateLimit
    /** Writes with a JWT (or a backend's key), per tenant. */
    tenant: RateLimit
  }
  /** Events per resolution round (one transaction); by default 4,000 on PostgreSQL, 1,000 on PGlite. */
  resolverBatch: number
  /** How often a collector looks for pending events nobody announced to it; 0: never. */
  resolverSweepMs: number
  /** On a PostgreSQL server: resolve in a worker thread with its own pool, off the event loop that answers requests. */
  resolverThread: boolean
  /** The longest a request with `Prefer: wait=resolved` waits for resolution, and the longest backpressure holds one. */
  resolveWaitMs: number
  /** Backpressure: answers are held while the tenant's resolution lags more than this; 0: never. */
  resolverMaxLagMs: number
  /** The Trust Engine's settings (`collector/docs/trust-engine.md`). */
  delivery: {
    /** Keys that encrypt destination secrets, the first one for new secrets. */
    encryptionKeys: Array<{ id: string; key: Buffer }>
    /** Run the delivery worker in this process. */
    worker: boolean
    /** Attempts before a delivery becomes a dead letter. */
    maxAttempts: number
    /** How long a held event waits for an operator. */
    heldExpiryHours: number
    /** How long one request to a destination may take; a claim's lease is three times as long. */
    timeoutMs: number
    /** How often the worker looks for due deliveries. */
    pollMs: number
  }
}

/**
 * Reads and validates the configuration from environment variables, failing
 * with one message that names every bad variable.
 *
 * @example
 * const config = loadConfig(process.env)
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = ConfigSchema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    throw new StratumError(500, 'invalid_config', `Invalid configuration:\n  ${lines.join('\n  ')}`)
  }
  const e = parsed.data
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dbPool: e.STRATUM_DB_POOL,
    dataDir: e.STRATUM_DATA_DIR,
    jwt: {
      secret: e.STRATUM_JWT_SECRET,
      jwksUrl: e.STRATUM_JWKS_URL,
      jwksAlgorithms: e.STRATUM_JWT_ALGORITHMS,
      issuer: e.STRATUM_JWT_ISSUER,
      audience: e.STRATUM_JWT_AUDIENCE,
    },
    trustedProxies: e.STRATUM_TRUSTED_PROXIES,
    retentionMonths: e.STRATUM_RETENTION_MONTHS,
    defaultCountry: e.STRATUM_DEFAULT_COUNTRY,
    // The demo prints an admin token: never by default in production.
    demo: (e.STRATUM_DEMO ?? (e.NODE_ENV === 'production' ? 'off' : 'on')) === 'on',
    demoPort: e.STRATUM_DEMO_PORT ?? (e.PORT === 0 || e.PORT === 65535 ? 0 : e.PORT + 1),
    log: e.STRATUM_LOG === 'on',
    serverTiming: e.STRATUM_SERVER_TIMING === 'on',
    shutdownTimeoutMs: e.STRATUM_SHUTDOWN_TIMEOUT_MS,
    rateLimits: {
      clientIp: { perSecond: e.STRATUM_RATE_LIMIT_IP_PER_SECOND, burst: e.STRATUM_RATE_LIMIT_IP_BURST },
      sourceKey: { perSecond: e.STRATUM_RATE_LIMIT_SOURCE_KEY_PER_SECOND, burst: e.STRATUM_RATE_LIMIT_SOURCE_KEY_BURST },
      tenant: { perSecond: e.STRATUM_RATE_LIMIT_TENANT_PER_SECOND, burst: e.STRATUM_RATE_LIMIT_TENANT_BURST },
    },
    resolverBatch: e.STRATUM_RESOLVER_BATCH ?? DEFAULT_ROUND_SIZE[e.DATABASE_URL ? 'postgres' : 'pglite'],
    resolverSweepMs: e.STRATUM_RESOLVER_SWEEP_MS,
    resolverThread: e.STRATUM_RESOLVER_THREAD === 'on',
    resolveWaitMs: e.STRATUM_RESOLVE_WAIT_MS,
    resolverMaxLagMs: e.STRATUM_RESOLVER_MAX_LAG_MS,
    delivery: {
      encryptionKeys: e.STRATUM_ENCRYPTION_KEYS.map((entry) => {
        const [id, key] = entry.split(':') as [string, string]
        return { id, key: Buffer.from(key, 'base64') }
      }),
      worker: e.STRATUM_DELIVERY === 'on',
      maxAttempts: e.STRATUM_DELIVERY_MAX_ATTEMPTS,
      heldExpiryHours: e.STRATUM_HELD_EXPIRY_HOURS,
      timeoutMs: e.STRATUM_DELIVERY_TIMEOUT_MS,
      pollMs: e.STRATUM_DELIVERY_POLL_MS,
    },
  }
}
