import { randomUUID } from 'node:crypto'
import { normalizeIdentifier, sha256Hex } from '@stratum/pixel/identity'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { mintToken } from '../../auth/mint-token'
import { findSuppressedEvents } from '../../privacy/suppression'
import { scanTables } from '../../privacy/scan-tables'
import { createTestApp, newTenant, TEST_SECRET, type TestApp } from '../../testing/test-app'

const ERASURE = '/api/v1/cdp/erasure'

let t: TestApp
let tenant: string
let token: string
let admin: string

beforeAll(async () => {
  t = await createTestApp()
  tenant = newTenant()
  token = await t.token(tenant, ['events:write', 'profiles:read'])
  admin = await mintToken({ secret: TEST_SECRET, tenantId: tenant, scopes: ['admin'], subject: 'dpo-42' })
})
afterAll(() => t.close())

type Identifier = { type: string; value: string }
let minutes = 60
/** Ingests one event (a few minutes apart, oldest first) and returns its id and profile. */
async function ingest(identifiers: Identifier[], sessionId?: string) {
  const event = {
    event_id: randomUUID(),
    event_name: 'PageView',
    event_time: new Date(Date.now() - minutes-- * 60_000).toISOString(),
    identifiers,
    user_data: { fn: 'Jane', ln: 'Doe' },
    context: sessionId ? { session_id: sessionId } : {},
  }
  const res = await t.call('POST', '/api/v1/cdp/events', { token, body: { events: [event] } })
  expect(res.body.accepted).toBe(1)
  return { eventId: event.event_id, profileId: res.body.events[0].profile_id as string }
}

const erase = (type: string, value: string, auth = admin) =>
  t.call('POST', ERASURE, { token: auth, body: { identifier_type: type, identifier_value: value } })

describe('POST /erasure', () => {
  test('erases every profile reachable from the identifier and leaves nothing that references them', async () => {
    const email = `Jane.${randomUUID().slice(0, 8)}@Shop.io`
    const emailHash = normalizeIdentifier('email', email).value
    const phoneHash = normalizeIdentifier('phone', '+49 151 23456789').value
    const [anon1, anon2] = [`anon_${randomUUID()}`, `anon_${randomUUID()}`]
    // An anonymous visit with consent, a separate visit that gives the email, then the stitch that merges them.
    const visit = await ingest([{ type: 'anonymous_id', value: anon1 }], 's-1')
    await t.call('POST', '/api/v1/cdp/consent', { token, body: { identifiers: [{ type: 'anonymous_id', value: anon1 }], purposes: { analytics: true } } })
    const signup = await ingest([{ type: 'email', value: email }, { type: 'anonymous_id', value: anon2 }], 's-2')
    expect(signup.profileId).not.toBe(visit.profileId)
    const stitch = await ingest([{ type: 'anonymous_id', value: anon1 }, { type: 'email', value: email }])
    const phone = await ingest([{ type: 'email', value: emailHash }, { type: 'phone', value: '+49 151 23456789' }])
    const person = [visit, signup, stitch, phone]

    // Someone else, and one of their events carrying Jane's email on the event only (as when a guard stops a merge).
    const other = await ingest([{ type: 'external_id', value: `crm-${randomUUID()}` }])
    const carrier = randomUUID()
    const now = new Date()
    await t.database.db.insertInto('event_keys').values({ tenant_id: tenant, event_id: carrier, event_time: now, received_at: now, trust: 'server', profile_id: other.profileId }).execute()
    await t.database.db
      .insertInto('events')
      .values({
        tenant_id: tenant, event_time: now, event_id: carrier, event_name: 'Lead', received_at: now,
        clock_corrected: false, identifiers: JSON.stringify([{ type: 'email', value: emailHash, status: 'valid' }]),
        user_data: '{}', properties: '{}', context: '{}', warnings: '[]',
      })
      .execute()

    const profileIds = [...new Set(person.map((p) => p.profileId))]
    const eventIds = [...person.map((p) => p.eventId), carrier]
    const traces = [...profileIds, ...eventIds, emailHash, phoneHash, anon1, anon2]
    // The scan sees every trace before the erasure (and the raw email never).
    const before = await scanTables(t.database.db, [...traces, email], tenant)
    expect(new Set(before.map((f) => f.value))).toEqual(new Set(traces))

    const res = await erase('email', `  ${email.toUpperCase()} `)
    expect(res.status).toBe(200)
    expect(res.body.counts).toMatchObject({ profiles: 2, events: 5, event_keys: 5, identifiers: 4, consents: 1, merges: 1, suppressions_added: 4 })
    expect(res.body.counts.sessions).toBeGreaterThanOrEqual(2)

    expect(await scanTables(t.database.db, [...traces, email], tenant)).toEqual([])

    // The other person is untouched but for the event that carried Jane's email.
    const survivor = await t.call('GET', `/api/v1/cdp/profiles/${other.profileId}/events`, { token })
    expect(survivor.body.data.map((e: { event_id: string }) => e.event_id)).toEqual([other.eventId])

    // The audit row names who and how much, never the person.
    const audit = await t.database.db.selectFrom('erasures').selectAll().where('tenant_id', '=', tenant).execute()
    expect(audit).toEqual([
      expect.objectContaining({ requested_by: 'dpo-42', request_hash: sha256Hex(`${tenant}:email:${emailHash}`), counts: res.body.counts }),
    ])
  })

  test('suppresses the identifiers: later events and consent carrying them are dropped', async () => {
    const email = `jane.${randomUUID().slice(0, 8)}@shop.io`
    const anon = `anon_${randomUUID()}`
    await ingest([{ type: 'email', value: email }, { type: 'anonymous_id', value: anon }])
    await erase('email', email)

    const suppressed = await t.database.db.transaction().execute((trx) =>
      findSuppressedEvents(trx, tenant, [
        { key: 0, identifiers: [{ type: 'anonymous_id', value: `anon_${randomUUID()}` }] },
        { key: 1, identifiers: [{ type: 'anonymous_id', value: anon }] },
        { key: 2, identifiers: [{ type: 'email', value: normalizeIdentifier('email', email).value }] },
      ]),
    )
    expect([...suppressed].sort()).toEqual([1, 2])

    const profilesBefore = await t.database.db.selectFrom('profiles').select('id').where('tenant_id', '=', tenant).execute()
    const consent = await t.call('POST', '/api/v1/cdp/consent', {
      token,
      body: { identifiers: [{ type: 'email', value: email }], purposes: { analytics: true } },
    })
    expect(consent.body).toMatchObject({ status: 'suppressed', profile_id: null })
    const profilesAfter = await t.database.db.selectFrom('profiles').select('id').where('tenant_id', '=', tenant).execute()
    expect(profilesAfter).toHaveLength(profilesBefore.length)
  })

  test('is idempotent: a repeat erases nothing and is audited too', async () => {
    const email = `jane.${randomUUID().slice(0, 8)}@shop.io`
    await ingest([{ type: 'email', value: email }])
    const first = await erase('email', email)
    expect(first.body.counts.profiles).toBe(1)
    const again = await erase('email', email)
    expect(again.status).toBe(200)
    expect(Object.values(again.body.counts).every((n) => n === 0)).toBe(true)
    expect(again.body.request_hash).toBe(first.body.request_hash)
    const audits = await t.database.db.selectFrom('erasures').select('id').where('request_hash', '=', first.body.request_hash).execute()
    expect(audits).toHaveLength(2)
  })

  test('an identifier nobody holds is still suppressed', async () => {
    const res = await erase('external_id', `crm-${randomUUID()}`)
    expect(res.status).toBe(200)
    expect(res.body.counts).toMatchObject({ profiles: 0, events: 0, suppressions_added: 1 })
  })

  test('needs the admin scope and a valid identifier', async () => {
    expect((await erase('email', 'jane@shop.io', token)).status).toBe(403)
    const bySourceKey = await t.call('POST', ERASURE, {
      headers: { 'x-source-key': 'sk_anything' },
      body: { identifier_type: 'email', identifier_value: 'jane@shop.io' },
    })
    expect(bySourceKey.status).toBe(403)
    const invalid = await erase('email', 'not an email')
    expect(invalid.status).toBe(400)
    expect(invalid.body.error.code).toBe('invalid_identifier')
    expect((await erase('email', 'test@test.com')).body.error.code).toBe('invalid_identifier')
    expect((await erase('fax', '123')).status).toBe(400)
  })
})
