import { sql } from 'kysely'
import { describe, expect, test } from 'vitest'
import { mintToken } from '../../auth/mint-token'
import { newTenant, TEST_SECRET } from '../../testing/test-app'
import { useTestApp } from '../../testing/use-test-app'

const DESTINATIONS = '/api/v1/cdp/destinations'
const TOKEN = 'EAAB-meta-access-token-that-must-never-leak'
const meta = { pixel_id: '1234567890', access_token: TOKEN }

const app = useTestApp()

const create = (body: unknown, token = app.token) => app.t.call('POST', DESTINATIONS, { token, body })

describe('POST /destinations', () => {
  test('creates a Meta destination with defaults and never answers or stores its token in clear', async () => {
    const res = await create({ name: 'Meta', type: 'meta_capi', config: meta })
    expect(res.status).toBe(201)
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Meta',
      type: 'meta_capi',
      enabled: true,
      config: { pixel_id: '1234567890', api_version: 'v25.0', api_base_url: 'https://graph.facebook.com' },
      filters: { event_names: null, source_ids: null },
      policy: {},
      override: null,
      circuit: { failures: 0, open_until: null },
      created_at: expect.any(String),
      updated_at: expect.any(String),
    })
    const listed = await app.t.call('GET', DESTINATIONS, { token: app.token })
    const one = await app.t.call('GET', `${DESTINATIONS}/${res.body.id}`, { token: app.token })
    expect(JSON.stringify([listed.body, one.body])).not.toContain(TOKEN)
    expect(one.body).toEqual(res.body)
    const { rows } = await sql<{ row: string }>`SELECT d::text AS row FROM destinations AS d WHERE id = ${res.body.id}`.execute(app.t.database.db)
    expect(rows[0]!.row).not.toContain(TOKEN)
    expect(rows[0]!.row).toMatch(/v1\.dev\./)
  })

  test('generates a webhook signing secret and shows it only in the creation answer', async () => {
    const res = await create({ name: 'CRM', type: 'webhook', config: { url: 'https://crm.example/hooks' }, filters: { event_names: ['Purchase'], source_ids: ['server'] } })
    expect(res.status).toBe(201)
    expect(res.body.config).toEqual({ url: 'https://crm.example/hooks', secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/) })
    expect(res.body.filters).toEqual({ event_names: ['Purchase'], source_ids: ['server'] })
    const again = await app.t.call('GET', `${DESTINATIONS}/${res.body.id}`, { token: app.token })
    expect(again.body.config).toEqual({ url: 'https://crm.example/hooks' })
  })

  test.each([
    ['an unknown type', { name: 'X', type: 'tiktok', config: {} }, 'type'],
    ['a pixel id that is not numeric', { name: 'X', type: 'meta_capi', config: { ...meta, pixel_id: 'abc' } }, 'config.pixel_id'],
    ['a looser level without override', { name: 'X', type: 'meta_capi', config: meta, policy: { level: 'full' } }, 'policy.level'],
    ['an override without a level', { name: 'X', type: 'meta_capi', config: meta, policy: { override: true } }, 'policy.override'],
    ['a webhook URL with credentials', { name: 'X', type: 'webhook', config: { url: 'https://u:p@crm.example/' } }, 'config.url'],
    ['a malformed webhook secret', { name: 'X', type: 'webhook', config: { url: 'https://crm.example/', secret: 'hunter2' } }, 'config.secret'],
    ['an unknown source filter', { name: 'X', type: 'webhook', config: { url: 'https://crm.example/' }, filters: { source_ids: ['web'] } }, 'filters.source_ids.0'],
  ])('refuses %s with a 400 naming the field', async (_, body, path) => {
    const res = await create(body)
    expect(res.status).toBe(400)
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path)
  })

  test('needs the admin scope', async () => {
    const res = await create({ name: 'Meta', type: 'meta_capi', config: meta }, await app.t.token(app.tenant, ['sources:write', 'profiles:read']))
    expect(res.status).toBe(403)
    expect(res.body.error.code).toBe('insufficient_scope')
    expect((await app.t.call('GET', DESTINATIONS, { token: await app.t.token(app.tenant, ['profiles:read']) })).status).toBe(403)
  })
})

describe('PATCH and DELETE /destinations/{id}', () => {
  test('disables, replaces the token, and records who set an override', async () => {
    const { body: created } = await create({ name: 'Meta', type: 'meta_capi', config: meta })
    const dpo = await mintToken({ secret: TEST_SECRET, tenantId: app.tenant, scopes: ['admin'], subject: 'ops@shop.example' })
    const res = await app.t.call('PATCH', `${DESTINATIONS}/${created.id}`, {
      token: dpo,
      body: { enabled: false, config: { access_token: 'EAAB-new', test_event_code: 'TEST123' }, policy: { override: true, level: 'full' } },
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      enabled: false,
      config: { pixel_id: '1234567890', api_version: 'v25.0', api_base_url: 'https://graph.facebook.com', test_event_code: 'TEST123' },
      policy: { override: true, level: 'full' },
      override: { set_by: 'ops@shop.example', set_at: expect.any(String) },
    })
    const stricter = await app.t.call('PATCH', `${DESTINATIONS}/${created.id}`, {
      token: app.token,
      body: { policy: { min_event_emq: 70 }, config: { test_event_code: null } },
    })
    expect(stricter.body.override).toBeNull()
    expect(stricter.body.config).not.toHaveProperty('test_event_code')
    const bad = await app.t.call('PATCH', `${DESTINATIONS}/${created.id}`, { token: app.token, body: { config: { api_version: '25' } } })
    expect(bad.status).toBe(400)
    expect(bad.body.error.details[0].path).toBe('config.api_version')
  })

  test('deletes, and another tenant sees nothing', async () => {
    const { body: created } = await create({ name: 'Hook', type: 'webhook', config: { url: 'https://crm.example/' } })
    const stranger = await app.t.token(newTenant())
    expect((await app.t.call('GET', `${DESTINATIONS}/${created.id}`, { token: stranger })).status).toBe(404)
    expect((await app.t.call('DELETE', `${DESTINATIONS}/${created.id}`, { token: stranger })).status).toBe(404)
    expect((await app.t.call('DELETE', `${DESTINATIONS}/${created.id}`, { token: app.token })).status).toBe(204)
    const gone = await app.t.call('GET', `${DESTINATIONS}/${created.id}`, { token: app.token })
    expect(gone.status).toBe(404)
    expect(gone.body.error.code).toBe('destination_not_found')
  })
})
