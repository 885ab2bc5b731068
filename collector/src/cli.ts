#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { mintToken } from './auth/mint-token'
import { parseScopes, type Scope, SCOPES } from './auth/scopes'
import { NewSourceSchema } from './api/schemas/source-schema'
import { type Config, loadConfig } from './config'
import { withMigratedDatabase } from './db/with-migrated-database'
import { ensureJwtSecret } from './dev-secret'
import { StratumError } from './errors'
import { runRetention } from './privacy/retention'
import { setTenantRetention } from './privacy/tenant-retention'
import { createSource, trustOf } from './sources/create-source'
import { startCollector } from './start-collector'
import { provisionTenant } from './tenants/provision-tenant'
import { VERSION } from './version'

const USAGE = `stratum ${VERSION} — Stratum CDP collector

Usage:
  stratum start [--workers N]           migrate, seed the demo (first run) and serve;
                                        --workers: N processes on one port (PostgreSQL only)
  stratum migrate                       bring the schema up to date
  stratum tenant create [--name N]      create a tenant, print its id
  stratum token --tenant ID [--scope "events:write profiles:read"] [--ttl 3600]
  stratum source create --tenant ID --name N [--type website] [--origin https://a.example]...
  stratum retention run                 enforce event retention now (also runs daily in \`start\`)
  stratum retention set --tenant ID --months N|default
                                        give a tenant a shorter window than STRATUM_RETENTION_MONTHS

Configuration comes from environment variables; see the README.`

const ALL_SCOPES = SCOPES.join(' ')
/** Far above any machine's cores; each worker opens its own pool of `STRATUM_DB_POOL` connections. */
const MAX_WORKERS = 256

async function main(argv: string[]) {
  const { positionals, values } = parseCommandLine(argv)
  const command = positionals.join(' ')
  if (values.version) return print(VERSION)
  if (values.help || !command) return print(USAGE)
  const config = loadConfig(process.env)
  if (values.workers !== undefined && command !== 'start') throw usage('--workers is an option of start')

  switch (command) {
    case 'start': {
      const workers = values.workers === undefined ? undefined : requireWorkers(values.workers, config)
      const secured = ensureJwtSecret(config)
      return startCollector(secured.config, { generatedAt: secured.generatedAt, workers })
    }
    case 'migrate':
      return withMigratedDatabase(config, async () => print('schema is up to date'))
    case 'tenant create':
      return withMigratedDatabase(config, async (db) => {
        const id = crypto.randomUUID()
        await provisionTenant(db, id, values.name ?? 'tenant')
        print(id)
      })
    case 'token': {
      const tenantId = requireTenant(values.tenant)
      const scopes = requireScopes(values.scope)
      const ttlSeconds = Number(values.ttl)
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) throw usage('--ttl must be a whole number of seconds')
      // In development this is the secret `start` generated, so the token works against it.
      const { secret } = ensureJwtSecret(config).config.jwt
      if (!secret) throw usage('minting a token needs STRATUM_JWT_SECRET')
      return print(await mintToken({ secret, tenantId, scopes, ttlSeconds }))
    }
    case 'source create': {
      const tenantId = requireTenant(values.tenant)
      // The API's own schema, so the CLI cannot create a source the API would refuse
      // (an origin with a path or a trailing slash would never match a browser's).
      const input = NewSourceSchema.safeParse({ name: values.name, source_type: values.type, allowed_origins: values.origin })
      if (!input.success) {
        throw usage(input.error.issues.map((i) => `--${FLAG_OF[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`).join('\n'))
      }
      return withMigratedDatabase(config, async (db) => {
        await provisionTenant(db, tenantId)
        const { source, key } = await createSource(db, tenantId, {
          name: input.data.name,
          sourceType: input.data.source_type,
          allowedOrigins: input.data.allowed_origins,
        })
        // A secret key (server and crm sources) is shown this once: it is stored only as a hash.
        print(JSON.stringify({ id: source.id, source_key: key, trust: trustOf(source) }))
      })
    }
    case 'retention run':
      return withMigratedDatabase(config, async (db) => {
        print(JSON.stringify(await runRetention(db, { retentionMonths: config.retentionMonths })))
      })
    case 'retention set': {
      const tenantId = requireTenant(values.tenant)
      // setTenantRetention refuses anything but a whole number of months from 1 to 120.
      const months = values.months === 'default' ? null : Number(values.months)
      return withMigratedDatabase(config, async (db) => {
        await setTenantRetention(db, tenantId, months)
        print(`retention of ${tenantId}: ${months === null ? 'default' : `${months} months`}`)
      })
    }
    default:
      throw usage(`unknown command "${command}"`)
  }
}

/** `source create` flags by the API field they fill, for error messages. */
const FLAG_OF: Record<string, string> = { name: 'name', source_type: 'type', allowed_origins: 'origin' }

/** Parses flags, turning node's parse errors (unknown option, missing value) into usage errors. */
function parseCommandLine(argv: string[]) {
  try {
    return parseCommandLineStrict(argv)
  } catch (error) {
    if (String((error as { code?: string }).code).startsWith('ERR_PARSE_ARGS')) throw usage((error as Error).message)
    throw error
  }
}

function parseCommandLineStrict(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      tenant: { type: 'string' },
      scope: { type: 'string', default: ALL_SCOPES },
      ttl: { type: 'string', default: '3600' },
      name: { type: 'string' },
      type: { type: 'string', default: 'website' },
      origin: { type: 'string', multiple: true, default: [] },
      months: { type: 'string' },
      workers: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  })
}

/** Every word of `--scope` must be a known scope: a typo would otherwise mint a token that fails later. */
function requireScopes(claim: string | undefined): Scope[] {
  const words = (claim ?? '').split(/\s+/).filter(Boolean)
  const unknown = words.filter((w) => !(SCOPES as readonly string[]).includes(w))
  if (words.length === 0 || unknown.length > 0) {
    throw usage(`--scope must name one or more of: ${ALL_SCOPES}${unknown.length > 0 ? ` (unknown: ${unknown.join(', ')})` : ''}`)
  }
  return [...parseScopes(words.join(' '))]
}

/** `--workers`: a whole number of processes, which only a PostgreSQL server can serve together. */
function requireWorkers(value: string, config: Config): number {
  const workers = Number(value)
  if (!/^\d+$/.test(value) || workers < 1 || workers > MAX_WORKERS) {
    throw usage(`--workers must be a whole number from 1 to ${MAX_WORKERS}`)
  }
  if (!config.databaseUrl) {
    throw usage('--workers needs a PostgreSQL server (DATABASE_URL): embedded PGlite is one process, which workers cannot share')
  }
  return workers
}

function requireTenant(tenant: string | undefined): string {
  if (!tenant || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(tenant)) {
    throw usage('--tenant must be a tenant UUID')
  }
  return tenant.toLowerCase()
}

function usage(message: string) {
  return new StratumError(400, 'usage', `${message}\n\n${USAGE}`)
}

function print(text: string) {
  process.stdout.write(`${text}\n`)
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`stratum: ${error instanceof StratumError ? error.message : (error.stack ?? error.message)}\n`)
  process.exit(1)
})
