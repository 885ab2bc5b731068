import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Config } from './config'
import { ensureDataDir } from './data-dir'
import { StratumError } from './errors'

/**
 * Makes sure JWTs can be verified. Without `STRATUM_JWT_SECRET` or a JWKS
 * URL, development generates a secret once into the data folder (and says
 * so); production refuses to start.
 *
 * @example
 * const { config, generated } = ensureJwtSecret(loadConfig(process.env))
 */
export function ensureJwtSecret(config: Config): { config: Config; generatedAt?: string } {
  if (config.jwt.secret || config.jwt.jwksUrl) return { config }
  if (config.env === 'production') {
    throw new StratumError(
      500,
      'invalid_config',
      'NODE_ENV=production needs STRATUM_JWT_SECRET (at least 32 characters) or STRATUM_JWKS_URL',
    )
  }
  const file = join(config.dataDir, 'jwt-secret')
  if (!existsSync(file)) {
    ensureDataDir(config.dataDir)
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 })
  }
  const secret = readFileSync(file, 'utf8').trim()
  return { config: { ...config, jwt: { ...config.jwt, secret } }, generatedAt: file }
}
