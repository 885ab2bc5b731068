import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { withTenant } from '../db/with-tenant'
import { createTestApp, newTenant, type TestApp } from '../testing/test-app'
import { findDeniedProfiles } from './consent-state'
import { findSuppressedEvents, suppressIdentifiers } from './suppression'

let t: TestApp
let tenant: string
let token: string

beforeAll(async () => {
  t = await createTestApp()
  tenant = newTenant()
  token = await t.token(tenant)
})
afterAll(() => t.close())

/** Records a decision for an external id and returns the profile it landed on. */
async function decide(externalId: string, purposes: Record<string, boolean>): Promise<string> {
  const res = await t.call('POST', '/api/v1/cdp/consent', { token, body: { identifiers: [{ type: 'external_id', value: externalId }], purposes } })
  return res.body.profile_id
}

// Both checks run inside ingest's transaction, as the row-level-security role.
const asTenant = <T>(work: Parameters<typeof withTenant<T>>[2]) => withTenant(t.database.db, tenant, work)

describe('findDeniedProfiles', () => {
  test('reports the profiles whose latest analytics decision is a denial', async () => {
    const [denied, granted, changedMind, silent] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()]
    const ids = {
      denied: await decide(denied, { analytics: false }),
      granted: await decide(granted, { analytics: true, marketing: false }),
      changedMind: await decide(changedMind, { analytics: false }),
      silent: await decide(silent, { marketing: false }),
    }
    await decide(changedMind, { analytics: true })
    const result = await asTenant((trx) => findDeniedProfiles(trx, tenant, Object.values(ids)))
    expect(result).toEqual(new Set([ids.denied]))
    const marketing = await asTenant((trx) => findDeniedProfiles(trx, tenant, Object.values(ids), 'marketing'))
    expect(marketing).toEqual(new Set([ids.granted, ids.silent]))
    expect(await asTenant((trx) => findDeniedProfiles(trx, tenant, []))).toEqual(new Set())
  })

  test("a denial recorded on a profile since merged away holds for the survivor", async () => {
    const anon = `anon_${randomUUID()}`
    const crm = randomUUID()
    const res = await t.call('POST', '/api/v1/cdp/consent', {
      token,
      body: { identifiers: [{ type: 'anonymous_id', value: anon }], purposes: { analytics: false } },
    })
    const anonymous = res.body.profile_id
    const known = await decide(crm, { marketing: true })
    await t.call('POST', '/api/v1/cdp/events', {
      token,
      body: {
        events: [
          {
            event_name: 'Login',
            event_time: new Date().toISOString(),
            identifiers: [
              { type: 'external_id', value: crm },
              { type: 'anonymous_id', value: anon },
            ],
          },
        ],
      },
    })
    const survivor = (await t.call('GET', `/api/v1/cdp/profiles/${anonymous}`, { token })).body.id
    expect([anonymous, known]).toContain(survivor)
    expect(await asTenant((trx) => findDeniedProfiles(trx, tenant, [survivor]))).toEqual(new Set([survivor]))
  })
})

describe('findSuppressedEvents', () => {
  test('finds the events carrying a suppressed identifier, of this tenant only', async () => {
    const device = `dev-${randomUUID()}`
    await asTenant((trx) => suppressIdentifiers(trx, tenant, [{ type: 'device_id', value: device }]))
    const events = [
      { key: 4, identifiers: [{ type: 'device_id', value: device }] },
      { key: 5, identifiers: [{ type: 'anonymous_id', value: device }] },
      { key: 6, identifiers: [] },
    ]
    expect(await asTenant((trx) => findSuppressedEvents(trx, tenant, events))).toEqual(new Set([4]))
    const other = newTenant()
    const elsewhere = await withTenant(t.database.db, other, (trx) => findSuppressedEvents(trx, other, events))
    expect(elsewhere).toEqual(new Set())
  })
})
