import { randomBytes, randomUUID } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import type { Database } from './db/schema'
import { withTenant } from './db/with-tenant'
import { createSource } from './sources/create-source'
import { provisionTenant } from './tenants/provision-tenant'

/** The demo tenant, its website source, and the demo shop backend's secret. */
export interface Demo {
  tenantId: string
  sourceKey: string
  /** The shop's backend derives each order's Purchase event id with it (`examples/server`). */
  orderSecret: string
}

/**
 * On first run, creates a demo tenant, a website source and the demo shop
 * backend's order secret, and remembers them in the data folder (readable
 * by its owner only); later runs reuse them (and recreate the tenant and
 * source if the database was reset).
 *
 * @example
 * const { tenantId, sourceKey } = await seedDemo(db, './.stratum')
 */
export async function seedDemo(db: Kysely<Database>, dataDir: string): Promise<Demo> {
  const file = join(dataDir, 'demo.json')
  const saved = readSaved(file)
  const tenantId = saved.tenantId ?? randomUUID()
  await provisionTenant(db, tenantId, 'Demo')
  const existing = saved.sourceKey
    ? await withTenant(db, tenantId, (trx) =>
        trx.selectFrom('sources').select('source_key').where('source_key', '=', saved.sourceKey!).executeTakeFirst(),
      )
    : undefined
  const sourceKey =
    existing?.source_key ??
    (await createSource(db, tenantId, { name: 'Demo website', sourceType: 'website', allowedOrigins: [] })).key
  const orderSecret = saved.orderSecret ?? randomBytes(32).toString('base64url')
  writeFileSync(file, JSON.stringify({ tenantId, sourceKey, orderSecret }, null, 2), { mode: 0o600 })
  return { tenantId, sourceKey, orderSecret }
}

/** The demo remembered by an earlier run; a missing, unreadable or hand-mangled file means a fresh one. */
function readSaved(file: string): Partial<Demo> {
  if (!existsSync(file)) return {}
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<Demo>
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
    return {
      tenantId: typeof saved.tenantId === 'string' && uuid.test(saved.tenantId) ? saved.tenantId : undefined,
      sourceKey: typeof saved.sourceKey === 'string' ? saved.sourceKey : undefined,
      orderSecret: typeof saved.orderSecret === 'string' && saved.orderSecret.length >= 32 ? saved.orderSecret : undefined,
    }
  } catch {
    return {}
  }
}
