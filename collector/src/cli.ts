#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { mintToken } from './auth/mint-token'
import { parseScopes, SCOPES } from './auth/scopes'
import { type Config, loadConfig } from './config'
import { createDatabase } from './db/create-database'
import { migrate } from './db/migrate'
import { ensureJwtSecret } from './dev-secret'
import { StratumError } from './errors'
import { seedDemo } from './seed-demo'
import { startServer } from './server'
import { createSource } from './sources/create-source'
import { provisionTenant } from './tenants/provision-tenant'
import { VERSION } from './version'

const USAGE = `stratum ${VERSION} — Stratum CDP collector

Usage:
  stratum start                         migrate, seed the demo (first run) and serve
  stratum migrate                       bring the schema up to date
  stratum tenant create [--name N]      create a tenant, print its id
  stratum token --tenant ID [--scope "events:write profiles:read"] [--ttl 3600]
  stratum source create --tenant ID --name N [--type website] [--origin https://a.example]...

Configuration comes from environment variables; see the README.`

const ALL_SCOPES = SCOPES.join(' ')

async function main(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      tenant: { type: 'string' },
      scope: { type: 'string', default: ALL_SCOPES },
      ttl: { type: 'string', default: '3600' },
      name: { type: 'string' },
      type: { type: 'string', default: 'website' },
      origin: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  })
  const command = positionals.join(' ')
  if (values.version) return print(VERSION)
  if (values.help || !command) return print(USAGE)
  const { config, generatedAt } = ensureJwtSecret(loadConfig(process.env))

  switch (command) {
    case 'start':
      return start(config, generatedAt)
    case 'migrate':
      return withDatabase(config, async () => print('schema is up to date'))
    case 'tenant create':
      return withDatabase(config, async (db) => {
        const id = crypto.randomUUID()
        await provisionTenant(db, id, values.name ?? 'tenant')
        print(id)
      })
    case 'token': {
      const tenantId = requireTenant(values.tenant)
      const scopes = [...parseScopes(values.scope)]
      if (scopes.length === 0) throw usage(`--scope must name one or more of: ${ALL_SCOPES}`)
      const ttlSeconds = Number(values.ttl)
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) throw usage('--ttl must be a whole number of seconds')
      if (!config.jwt.secret) throw usage('minting a token needs STRATUM_JWT_SECRET')
      return print(await mintToken({ secret: config.jwt.secret, tenantId, scopes, ttlSeconds }))
    }
    case 'source create':
      return withDatabase(config, async (db) => {
        const tenantId = requireTenant(values.tenant)
        if (!values.name) throw usage('--name is required')
        if (!['website', 'server', 'crm', 'mobile'].includes(values.type!)) throw usage('--type must be website, server, crm or mobile')
        await provisionTenant(db, tenantId)
        const source = await createSource(db, tenantId, {
          name: values.name,
          sourceType: values.type as 'website',
          allowedOrigins: values.origin ?? [],
        })
        print(JSON.stringify({ id: source.id, source_key: source.source_key }))
      })
    default:
      throw usage(`unknown command "${command}"`)
  }
}

async function start(config: Config, generatedAt: string | undefined) {
  const server = await startServer(config)
  const shutdown = () => void server.close().then(() => process.exit(0))
  process.once('SIGTERM', shutdown)
  process.once('SIGINT', shutdown)
  if (!config.demo) return
  const demo = await seedDemo(server.database.db, config.dataDir)
  const token = await mintToken({ secret: config.jwt.secret!, tenantId: demo.tenantId, scopes: [...SCOPES], ttlSeconds: 7 * 86400 })
  print(`
  Stratum CDP collector ${VERSION} is running.

    API:         ${server.url}/api/v1/cdp
    API docs:    ${server.url}/docs  (ReDoc: ${server.url}/redoc)
    Storage:     ${server.database.kind === 'pglite' ? `embedded PostgreSQL in ${config.dataDir}/pgdata` : 'PostgreSQL (DATABASE_URL)'}
    Tenant:      ${demo.tenantId}
    Source key:  ${demo.sourceKey}
    Dev JWT:     ${token}
${generatedAt ? `\n  No STRATUM_JWT_SECRET was set: a development secret was generated in ${generatedAt}.\n` : ''}
  Try:  export TOKEN=${token}
        curl -s ${server.url}/api/v1/cdp/health -H "Authorization: Bearer $TOKEN"
`)
}

async function withDatabase(config: Config, work: (db: Awaited<ReturnType<typeof createDatabase>>['db']) => Promise<void>) {
  const database = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: `${config.dataDir}/pgdata` })
  try {
    await migrate(database.db, { retentionMonths: config.retentionMonths })
    await work(database.db)
  } finally {
    await database.close()
  }
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
