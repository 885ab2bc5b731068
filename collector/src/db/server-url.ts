/** A `DATABASE_URL` as postgres.js takes it, and the socket folder it names, if any. */
export interface ServerUrl {
  url: string
  /** A Unix-domain socket's folder (postgres.js's `host` option), when the URL names one. */
  socketDir?: string
}

/** A URL's scheme and user, then its host (possibly empty, possibly `host:port`). */
const AUTHORITY = /^(postgres(?:ql)?:\/\/(?:[^@/?#]*@)?)([^/?#]*)/i

/**
 * Reads the libpq URL forms postgres.js does not: a Unix-domain socket named
 * by the `host` query parameter (`postgres://user@/db?host=/var/run/postgresql`,
 * the form Cloud SQL documents) or by a percent-encoded host
 * (`postgres://%2Fvar%2Frun%2Fpostgresql/db`), and the `host` and `port`
 * query parameters, which override the URL's own. postgres.js would send
 * those parameters to the server as settings ("unrecognized configuration
 * parameter") and cannot parse an empty host at all. Any other URL is
 * returned as it is (collector/docs/scaling.md, "The server").
 *
 * @example
 * readServerUrl('postgres://app@/stratum?host=/var/run/postgresql')
 * // { url: 'postgres://app@localhost/stratum', socketDir: '/var/run/postgresql' }
 */
export function readServerUrl(databaseUrl: string): ServerUrl {
  const [whole = '', head = '', authority = ''] = AUTHORITY.exec(databaseUrl) ?? []
  const [host = '', port] = authority.split(/:(?=\d+$)/)
  const pathHost = /^%2f/i.test(host) ? decodeURIComponent(host) : undefined
  const query = new URLSearchParams(databaseUrl.split('#')[0]!.split('?')[1])
  if (!whole || (host && !pathHost && !query.has('host') && !query.has('port'))) return { url: databaseUrl }
  // A placeholder host where a socket or the query names the real one, so that the URL parses.
  const url = new URL(`${head}${pathHost || !host ? 'localhost' : host}${port ? `:${port}` : ''}${databaseUrl.slice(whole.length)}`)
  const queryHost = url.searchParams.get('host')
  const socketDir = queryHost?.startsWith('/') ? queryHost : pathHost
  if (queryHost && !queryHost.startsWith('/')) url.hostname = queryHost
  url.port = url.searchParams.get('port') ?? url.port
  url.searchParams.delete('host')
  url.searchParams.delete('port')
  return socketDir ? { url: url.toString(), socketDir } : { url: url.toString() }
}
