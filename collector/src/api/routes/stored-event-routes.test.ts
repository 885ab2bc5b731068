import { sha256Hex } from '@stratum/pixel/identity'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { emqBand } from '../../emq/bands'
import { createTestApp, newTenant, type TestApp } from '../../testing/test-app'

const API = '/api/v1/cdp'
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString()

let t: TestApp
let tenant: string
let token: string
let reader: string
beforeAll(async () => {
  t = await createTestApp()
  tenant = newTenant()
  token = await t.token(tenant)
  reader = await t.token(tenant, ['profiles:read'])
})
afterAll(() => t.close())

async function send(events: Record<string, unknown>[], headers?: Record<string, string>) {
  const res = await t.call('POST', `${API}/events`, { ...(headers ? { headers } : { token }), body: { events } })
  expect(res.status).toBe(200)
  return res.body.events as Array<{ event_id: string; profile_id: string; emq: number }>
}

describe('GET /events/{event_id}', () => {
  it('answers the stored event with hashes only, its score, band and profile', async () => {
    const eventId = randomUUID()
    const sentAt = new Date().toISOString()
    const [accepted] = await send([
      {
        event_id: eventId,
        event_name: 'Purchase',
        event_time: minutesAgo(5),
        action_source: 'server',
        identifiers: [{ type: 'email', value: 'Jane.Doe@Shop.io' }, { type: 'external_id', value: 'u-42' }],
        user_data: { fn: 'Jane', zp: '10115' },
        properties: { value: 42.5, currency: 'EUR' },
        context: { ip: '2001:4860:4860::8888', page: { url: 'https://shop.example/thanks' } },
        consent: { marketing: true },
      },
    ])
    const res = await t.call('GET', `${API}/events/${eventId.toUpperCase()}`, { token: reader })
    expect(res.status).toBe(200)
    const { body } = res
    expect(body).toMatchObject({
      event_id: eventId,
      event_name: 'Purchase',
      source_id: null,
      trust: 'server',
      action_source: 'server',
      profile_id: accepted!.profile_id,
      status: 'resolved',
      properties: { value: 42.5, currency: 'EUR' },
      consent: { marketing: true },
      emq: accepted!.emq,
      band: emqBand(accepted!.emq),
    })
    expect(Date.parse(body.received_at)).toBeGreaterThanOrEqual(Date.parse(sentAt))
    expect(body.identifiers).toEqual(
      expect.arrayContaining([
        { type: 'email', hash: sha256Hex('jane.doe@shop.io'), status: 'valid' },
        { type: 'external_id', hash: 'u-42', status: 'valid' },
      ]),
    )
    expect(body.user_data.fn).toBe(sha256Hex('jane'))
    expect(body.emq_breakdown).toEqual(expect.objectContaining({ band: body.band }))
    expect(body.warnings).toEqual(expect.any(Array))
    // No raw personal data, and no client address.
    const text = JSON.stringify(body)
    for (const raw of ['Jane', 'jane.doe', '10115', '2001:4860']) expect(text).not.toContain(raw)
  })

  it("says a browser's event and its source", async () => {
    const source = await t.call('POST', `${API}/sources`, { token, body: { name: 'Web', source_type: 'website' } })
    const [accepted] = await send([{ event_name: 'PageView', event_time: minutesAgo(1), identifiers: [{ type: 'anonymous_id', value: 'a-1' }] }], {
      'x-source-key': source.body.source_key,
    })
    const res = await t.call('GET', `${API}/events/${accepted!.event_id}`, { token: reader })
    expect(res.body).toMatchObject({ trust: 'browser', source_id: source.body.id, sent_at: null })
  })

  it('answers the survivor of a merged profile, and pending before resolution', async () => {
    const [anon] = await send([{ event_name: 'PageView', event_time: minutesAgo(30), identifiers: [{ type: 'anonymous_id', value: 'merge-a' }] }])
    const [known] = await send([{ event_name: 'Lead', event_time: minutesAgo(20), identifiers: [{ type: 'email', value: 'm@shop.io' }] }])
    await send([{ event_name: 'Lead', event_time: minutesAgo(10), identifiers: [{ type: 'anonymous_id', value: 'merge-a' }, { type: 'email', value: 'm@shop.io' }] }])
    // The anonymous profile was seen first: it survives, the known one is merged into it.
    const res = await t.call('GET', `${API}/events/${known!.event_id}`, { token: reader })
    expect(res.body.profile_id).toBe(anon!.profile_id)
    expect(res.body.profile_id).not.toBe(known!.profile_id)

    // The owner may do what the app role may not: make the event look unresolved.
    await t.database.db.updateTable('event_keys').set({ profile_id: null }).where('tenant_id', '=', tenant).where('event_id', '=', anon!.event_id).execute()
    const pending = await t.call('GET', `${API}/events/${anon!.event_id}`, { token: reader })
    expect(pending.body).toMatchObject({ status: 'pending', profile_id: null })
  })

  it("answers 404 for an unknown id and for another tenant's event", async () => {
    const [accepted] = await send([{ event_name: 'PageView', event_time: minutesAgo(1), identifiers: [{ type: 'anonymous_id', value: 'a-2' }] }])
    const unknown = await t.call('GET', `${API}/events/${randomUUID()}`, { token: reader })
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.code).toBe('event_not_found')
    const other = await t.call('GET', `${API}/events/${accepted!.event_id}`, { token: await t.token(newTenant(), ['profiles:read']) })
    expect(other.status).toBe(404)
    expect(other.body.error.code).toBe('event_not_found')
  })

  it('needs profiles:read and a UUID', async () => {
    const id = randomUUID()
    expect((await t.call('GET', `${API}/events/${id}`)).status).toBe(401)
    const writer = await t.call('GET', `${API}/events/${id}`, { token: await t.token(tenant, ['events:write']) })
    expect(writer.status).toBe(403)
    expect(writer.body.error.code).toBe('insufficient_scope')
    const bad = await t.call('GET', `${API}/events/not-an-id`, { token: reader })
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('invalid_request')
  })
})
