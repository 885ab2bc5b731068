import { z } from 'zod'
import { StratumError } from './errors'

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional()

const ConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(8787),
    HOST: z.string().default('0.0.0.0'),
    DATABASE_URL: optionalString,
    STRATUM_DATA_DIR: z.string().default('./.stratum'),
    STRATUM_JWT_SECRET: optionalString,
    STRATUM_JWKS_URL: optionalString.pipe(z.url().optional()),
    STRATUM_JWT_ALGORITHMS: z.string().default('RS256,ES256'),
    STRATUM_JWT_ISSUER: optionalString,
    STRATUM_JWT_AUDIENCE: optionalString,
    STRATUM_TRUSTED_PROXIES: z.string().default(''),
    STRATUM_RETENTION_MONTHS: z.coerce.number().int().min(1).max(120).default(13),
    STRATUM_DEFAULT_COUNTRY: optionalString.pipe(
      z
        .string()
        .regex(/^[A-Za-z]{2}$/, 'must be an ISO-3166 alpha-2 code')
        .transform((c) => c.toUpperCase())
        .optional(),
    ),
    STRATUM_DEMO: z.enum(['on', 'off']).default('on'),
    STRATUM_LOG: z.enum(['on', 'off']).default('on'),
    STRATUM_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  })
  .superRefine((env, ctx) => {
    if (env.STRATUM_JWT_SECRET && env.STRATUM_JWT_SECRET.length < 32) {
      ctx.addIssue({ code: 'custom', path: ['STRATUM_JWT_SECRET'], message: 'must be at least 32 characters' })
    }
  })

/** The collector's validated configuration. */
export interface Config {
  env: 'development' | 'production' | 'test'
  port: number
  host: string
  databaseUrl?: string
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
  log: boolean
  shutdownTimeoutMs: number
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
    dataDir: e.STRATUM_DATA_DIR,
    jwt: {
      secret: e.STRATUM_JWT_SECRET,
      jwksUrl: e.STRATUM_JWKS_URL,
      jwksAlgorithms: e.STRATUM_JWT_ALGORITHMS.split(',').map((a) => a.trim()).filter(Boolean),
      issuer: e.STRATUM_JWT_ISSUER,
      audience: e.STRATUM_JWT_AUDIENCE,
    },
    trustedProxies: e.STRATUM_TRUSTED_PROXIES.split(',').map((p) => p.trim()).filter(Boolean),
    retentionMonths: e.STRATUM_RETENTION_MONTHS,
    defaultCountry: e.STRATUM_DEFAULT_COUNTRY,
    demo: e.STRATUM_DEMO === 'on',
    log: e.STRATUM_LOG === 'on',
    shutdownTimeoutMs: e.STRATUM_SHUTDOWN_TIMEOUT_MS,
  }
}
