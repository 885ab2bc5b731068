import { randomUUID } from 'node:crypto'
import { sha256Hex } from '@stratum/pixel/identity'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestApp, newTenant, type TestApp } from '../../testing/test-app'

const CONSENT = '/api/v1/cdp/consent'
const ORIGIN = 'https://shop.example'

let t: TestApp
let tenant: string
let token: string
let sourceKey: string

beforeAll(async () => {
  t = await createTestApp()
  tenant = newTenant()
  token = await t.token(tenant)
  const source = await t.call('POST', '/api/v1/cdp/sources', {
    token,
    body: { name: 'web', source_type: 'website', allowed_origins: [ORIGIN] },
  })
  sourceKey = source.body.source_key
})
afterAll(() => t.close())

const email = () => `jane.${randomUUID().slice(0, 8)}@shop.io`
const consent = (body: unknown, auth: { token?: string; headers?: Record<string, string> } = { token }) =>
  t.call('POST', CONSENT, { body, ...auth })
const view = async (profileId: string) => (await t.call('GET', `/api/v1/cdp/profiles/${profileId}/consent`, { token })).body

describe('POST /consent', () => {
  test('records one row per purpose and derives the current state from the latest', async () => {
    const who = email()
    const first = await consent({
      identifiers: [{ type: 'email', value: who }],
      purposes: { analytics: true, marketing: true, loyalty_program: true },
      policy_version: '2026-01',
    })
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ status: 'recorded', profile_id: expect.any(String), purposes: { analytics: true } })
    // The same person, written differently: normalised to the same hash, so the same profile.
    const second = await consent({ identifiers: [{ type: 'email', value: ` ${who.toUpperCase()} ` }], purposes: { analytics: false } })
    expect(second.body.profile_id).toBe(first.body.profile_id)

    const v = await view(first.body.profile_id)
    expect(v.state.analytics).toMatchObject({ granted: false, policy_version: null })
    expect(v.state.marketing).toMatchObject({ granted: true, policy_version: '2026-01' })
    expect(v.state.loyalty_program.granted).toBe(true)
    // Newest first; records of one call share their time and keep their order, reversed.
    expect(v.history.map((h: { purpose: string }) => h.purpose)).toEqual(['analytics', 'loyalty_program', 'marketing', 'analytics'])
    expect(v.history[0]).toMatchObject({ purpose: 'analytics', granted: false })
  })

  test('attaches to the profile events built for the same identifier', async () => {
    const who = email()
    const ingest = await t.call('POST', '/api/v1/cdp/events', {
      token,
      body: { events: [{ event_name: 'PageView', event_time: new Date().toISOString(), identifiers: [{ type: 'email', value: who }] }] },
    })
    const recorded = await consent({ identifiers: [{ type: 'email', value: sha256Hex(who) }], purposes: { analytics: true } })
    expect(recorded.body.profile_id).toBe(ingest.body.events[0].profile_id)
  })

  test('keeps the marketing flag on the profile in step with the marketing decision', async () => {
    const identifiers = [{ type: 'external_id', value: `crm-${randomUUID()}` }]
    const denied = await consent({ identifiers, purposes: { marketing: false } })
    const profile = () => t.call('GET', `/api/v1/cdp/profiles/${denied.body.profile_id}`, { token })
    expect((await profile()).body.marketing_denied).toBe(true)
    await consent({ identifiers, purposes: { analytics: false } })
    expect((await profile()).body.marketing_denied).toBe(true)
    await consent({ identifiers, purposes: { marketing: true } })
    expect((await profile()).body.marketing_denied).toBe(false)
  })

  test('history follows merges: records made on a merged-away profile stay part of the person', async () => {
    const anon = `anon_${randomUUID()}`
    const crm = `crm-${randomUUID()}`
    const a = await consent({ identifiers: [{ type: 'anonymous_id', value: anon }], purposes: { analytics: false } })
    const b = await consent({ identifiers: [{ type: 'external_id', value: crm }], purposes: { marketing: true } })
    expect(a.body.profile_id).not.toBe(b.body.profile_id)
    // A backend event carrying both identifiers merges the two profiles.
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
    const fromA = await view(a.body.profile_id)
    const fromB = await view(b.body.profile_id)
    expect(fromA.profile_id).toBe(fromB.profile_id)
    expect([fromA.merged, fromB.merged].sort()).toEqual([false, true])
    expect(fromA.state).toMatchObject({ analytics: { granted: false }, marketing: { granted: true } })
    expect(new Set(fromA.history.map((h: { profile_id: string }) => h.profile_id))).toEqual(
      new Set([a.body.profile_id, b.body.profile_id]),
    )
  })

  test('a source key from an allowed origin may record consent, as text/plain, with CORS', async () => {
    const headers = { 'x-source-key': sourceKey, origin: ORIGIN, 'content-type': 'text/plain' }
    // As the pixel sends it: the key in the query string, a text/plain body, the browser's own anonymous id.
    const pixel = await t.call('POST', `${CONSENT}?source_key=${sourceKey}`, {
      headers: { origin: ORIGIN, 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({
        identifiers: [{ type: 'anonymous_id', value: `anon_${randomUUID()}` }],
        purposes: { analytics: true, marketing: false },
        policy_version: 'v3',
      }),
    })
    expect(pixel.status).toBe(200)
    expect(pixel.body.status).toBe('recorded')
    const res = await consent(
      { identifiers: [{ type: 'anonymous_id', value: `anon_${randomUUID()}` }], purposes: { analytics: true, marketing: false } },
      { headers },
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    const v = await view(res.body.profile_id)
    expect(v.history[0].source_id).toEqual(expect.any(String))

    const preflight = await t.app.request(CONSENT, { method: 'OPTIONS', headers: { origin: ORIGIN } })
    expect(preflight.status).toBe(204)
    const elsewhere = await consent(
      { identifiers: [{ type: 'anonymous_id', value: 'anon_x1' }], purposes: { analytics: true } },
      { headers: { ...headers, origin: 'https://evil.example' } },
    )
    expect(elsewhere.status).toBe(403)
  })

  test('refuses bad requests in the error shape of the API', async () => {
    const noPurpose = await consent({ identifiers: [{ type: 'email', value: email() }], purposes: {} })
    expect(noPurpose.status).toBe(400)
    const badPurpose = await consent({ identifiers: [{ type: 'email', value: email() }], purposes: { 'Bad Purpose': true } })
    expect(badPurpose.status).toBe(400)
    const junkOnly = await consent({ identifiers: [{ type: 'email', value: 'test@example.com' }], purposes: { analytics: true } })
    expect(junkOnly.status).toBe(400)
    expect(junkOnly.body.error.code).toBe('no_usable_identifier')
    const unauthenticated = await consent({ identifiers: [{ type: 'email', value: email() }], purposes: { analytics: true } }, {})
    expect(unauthenticated.status).toBe(401)
    const readOnly = await t.token(tenant, ['profiles:read'])
    const forbidden = await consent({ identifiers: [{ type: 'email', value: email() }], purposes: { analytics: true } }, { token: readOnly })
    expect(forbidden.status).toBe(403)
  })
})

describe('GET /profiles/{id}/consent', () => {
  test('404 for an unknown profile, 403 without profiles:read', async () => {
    expect((await t.call('GET', `/api/v1/cdp/profiles/${randomUUID()}/consent`, { token })).status).toBe(404)
    const writeOnly = await t.token(tenant, ['events:write'])
    expect((await t.call('GET', `/api/v1/cdp/profiles/${randomUUID()}/consent`, { token: writeOnly })).status).toBe(403)
  })

  test('another tenant cannot read it', async () => {
    const mine = await consent({ identifiers: [{ type: 'email', value: email() }], purposes: { analytics: true } })
    const other = await t.token(newTenant())
    const res = await t.call('GET', `/api/v1/cdp/profiles/${mine.body.profile_id}/consent`, { token: other })
    expect(res.status).toBe(404)
  })
})
