import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import type { Database } from './db/schema'
import { withTenant } from './db/with-tenant'
import { createSource } from './sources/create-source'
import { provisionTenant } from './tenants/provision-tenant'

/** The demo tenant and its website source. */
export interface Demo {
  tenantId: string
  sourceKey: string
}

/**
 * On first run, creates a demo tenant and a website source and remembers
 * them in the data folder; later runs reuse them (and recreate them if the
 * database was reset).
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
    (await createSource(db, tenantId, { name: 'Demo website', sourceType: 'website', allowedOrigins: [] })).source_key
  writeFileSync(file, JSON.stringify({ tenantId, sourceKey }, null, 2))
  return { tenantId, sourceKey }
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
    }
  } catch {
    return {}
  }
}
