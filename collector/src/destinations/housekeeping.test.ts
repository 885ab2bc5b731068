import { randomBytes, randomUUID } from 'node:crypto'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { loadConfig } from '../config'
import type { StratumDatabase } from '../db/create-database'
import { createTestDatabase } from '../testing/test-database'
import { resealSecrets } from './housekeeping'
import { createSecretBox } from './secret-box'

let database: StratumDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.close())

const boxOf = (keys: string) => createSecretBox(loadConfig({ STRATUM_ENCRYPTION_KEYS: keys }))

test('key rotation: secrets under an older key are re-sealed under the current one; one no key opens is left alone', async () => {
  const [k1, k2] = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64')]
  const tenant = randomUUID()
  const [rotated, lost] = [randomUUID(), randomUUID()]
  await database.db.insertInto('tenants').values({ id: tenant, name: 't' }).execute()
  await database.db
    .insertInto('destinations')
    .values([
      { tenant_id: tenant, id: rotated, name: 'a', type: 'webhook', config: '{}', secret: boxOf(`k1:${k1}`).seal('whsec_old') },
      { tenant_id: tenant, id: lost, name: 'b', type: 'webhook', config: '{}', secret: boxOf(`k0:${k2}`).seal('whsec_lost') },
    ])
    .execute()
  const current = boxOf(`k2:${k2},k1:${k1}`)
  expect(await resealSecrets(database.db, current)).toBe(1)
  const rows = await database.db.selectFrom('destinations').select(['id', 'secret']).where('tenant_id', '=', tenant).execute()
  const secretOf = (id: string) => rows.find((r) => r.id === id)!.secret
  expect(secretOf(rotated)).toMatch(/^v1\.k2\./)
  expect(current.open(secretOf(rotated))).toBe('whsec_old')
  expect(secretOf(lost)).toMatch(/^v1\.k0\./)
  expect(await resealSecrets(database.db, current)).toBe(0)
})
