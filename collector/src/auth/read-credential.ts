import { StratumError } from '../errors'
import { isSourceKeyLike } from './source-key'

/** What a request authenticates with: a JWT, or a source key and where it was found. */
export type Credential = { kind: 'jwt'; token: string } | { kind: 'key'; key: string; inUrl: boolean }

/** The minimum of a request this needs, so that it reads Hono's and plain requests alike. */
interface CredentialSource {
  header(name: string): string | undefined
  query(name: string): string | undefined
}

/**
 * Finds a request's credential. `Authorization` comes first: `Bearer <JWT>`,
 * `Bearer <source key>` or HTTP Basic with the source key as user name and an
 * empty password (how Segment's server-side SDKs send their write key). Then
 * `X-Source-Key`, then `?source_key=` (for `sendBeacon`, which cannot set
 * headers). `null` when there is none.
 *
 * @example
 * readCredential(c.req) // { kind: 'key', key: 'ssk_…', inUrl: false }
 */
export function readCredential(request: CredentialSource): Credential | null {
  const authorization = request.header('authorization')
  if (authorization) return fromAuthorization(authorization)
  const header = request.header('x-source-key')
  if (header) return { kind: 'key', key: header, inUrl: false }
  const query = request.query('source_key')
  return query ? { kind: 'key', key: query, inUrl: true } : null
}

function fromAuthorization(value: string): Credential {
  const [scheme = '', credential, ...extra] = value.trim().split(/\s+/)
  if (credential && extra.length === 0) {
    if (/^bearer$/i.test(scheme)) {
      return isSourceKeyLike(credential) ? { kind: 'key', key: credential, inUrl: false } : { kind: 'jwt', token: credential }
    }
    if (/^basic$/i.test(scheme)) {
      const decoded = Buffer.from(credential, 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      const user = colon < 0 ? decoded : decoded.slice(0, colon)
      if (colon >= 0 && colon === decoded.length - 1 && isSourceKeyLike(user)) return { kind: 'key', key: user, inUrl: false }
    }
  }
  throw new StratumError(
    401,
    'invalid_token',
    'Authorization must be "Bearer <JWT or source key>" or Basic with the source key as user name and an empty password',
  )
}
