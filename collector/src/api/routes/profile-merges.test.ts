import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, newTenant, type TestApp } from '../../testing/test-app'

const API = '/api/v1/cdp'
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString()

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

async function tenantWith() {
  const tenant = newTenant()
  const token = await t.token(tenant)
  const send = async (event: Record<string, unknown>) => {
    const res = await t.call('POST', `${API}/events`, { token, body: { events: [{ event_id: randomUUID(), ...event }] } })
    expect(res.status).toBe(200)
    return res.body.events[0] as { event_id: string; profile_id: string; warnings: string[] }
  }
  return { tenant, token, send, reader: await t.token(tenant, ['profiles:read']) }
}

describe('GET /profiles/{id}/merges', () => {
  it('lists the merges that built a profile, through merged profiles too, and the merges a guard stopped', async () => {
    const { send, reader } = await tenantWith()
    const anon = await send({ event_name: 'PageView', event_time: minutesAgo(60), identifiers: [{ type: 'anonymous_id', value: 'a-1' }] })
    const lead = await send({ event_name: 'Lead', event_time: minutesAgo(50), identifiers: [{ type: 'email', value: 'ann@shop.io' }] })
    const device = await send({ event_name: 'PageView', event_time: minutesAgo(55), identifiers: [{ type: 'device_id', value: 'd-1' }] })
    // The lead's profile joins the device's (seen first) …
    const first = await send({ event_name: 'Lead', event_time: minutesAgo(40), identifiers: [{ type: 'email', value: 'ann@shop.io' }, { type: 'device_id', value: 'd-1' }] })
    // … and that one joins the anonymous visitor's (seen first of all).
    const second = await send({ event_name: 'Lead', event_time: minutesAgo(30), identifiers: [{ type: 'anonymous_id', value: 'a-1' }, { type: 'device_id', value: 'd-1' }] })
    expect(second.profile_id).toBe(anon.profile_id)

    // Two different external ids never merge (G1): the link is stopped and said on the event.
    await send({ event_name: 'Lead', event_time: minutesAgo(25), identifiers: [{ type: 'external_id', value: 'u-1' }, { type: 'email', value: 'ann@shop.io' }] })
    await send({ event_name: 'Lead', event_time: minutesAgo(24), identifiers: [{ type: 'external_id', value: 'u-2' }, { type: 'email', value: 'bob@shop.io' }] })
    const blocked = await send({ event_name: 'Contact', event_time: minutesAgo(20), identifiers: [{ type: 'email', value: 'bob@shop.io' }, { type: 'email', value: 'ann@shop.io' }] })
    expect(blocked.warnings).toContain('merge_blocked:G1')
    const annProfile = (await t.call('GET', `${API}/profiles?identifier_type=email&identifier_value=ann@shop.io`, { token: reader })).body.id

    const res = await t.call('GET', `${API}/profiles/${annProfile}/merges`, { token: reader })
    expect(res.status).toBe(200)
    expect(res.body.merges).toEqual([
      { winner_id: anon.profile_id, loser_id: device.profile_id, rule: 'weak_identifier', event_id: second.event_id, identifier_type: 'anonymous_id', merged_at: expect.any(String) },
      { winner_id: device.profile_id, loser_id: lead.profile_id, rule: 'weak_identifier', event_id: first.event_id, identifier_type: 'device_id', merged_at: expect.any(String) },
    ])
    expect(Date.parse(res.body.merges[0].merged_at)).toBeGreaterThanOrEqual(Date.parse(res.body.merges[1].merged_at))
    // The stopped link is listed on the profile the event landed in: Bob's, the first owner it named.
    expect(res.body.stopped).toEqual([])
    const bobs = await t.call('GET', `${API}/profiles/${blocked.profile_id}/merges`, { token: reader })
    expect(bobs.body).toEqual({ merges: [], stopped: [{ event_id: blocked.event_id, event_name: 'Contact', event_time: expect.any(String), rule: 'G1' }] })

    // A merged-away id answers the same history: its survivor's.
    const viaLoser = await t.call('GET', `${API}/profiles/${lead.profile_id}/merges`, { token: reader })
    expect(viaLoser.body).toEqual(res.body)
  })

  it('answers empty lists for a profile that never merged', async () => {
    const { send, reader } = await tenantWith()
    const alone = await send({ event_name: 'PageView', event_time: minutesAgo(1), identifiers: [{ type: 'anonymous_id', value: 'alone' }] })
    const res = await t.call('GET', `${API}/profiles/${alone.profile_id}/merges`, { token: reader })
    expect(res.body).toEqual({ merges: [], stopped: [] })
  })

  it("answers 404 for an unknown profile and for another tenant's, and needs profiles:read", async () => {
    const { send, tenant, reader } = await tenantWith()
    const mine = await send({ event_name: 'PageView', event_time: minutesAgo(1), identifiers: [{ type: 'anonymous_id', value: 'x' }] })
    const other = await t.call('GET', `${API}/profiles/${mine.profile_id}/merges`, { token: await t.token(newTenant(), ['profiles:read']) })
    expect(other.status).toBe(404)
    expect(other.body.error.code).toBe('profile_not_found')
    expect((await t.call('GET', `${API}/profiles/${randomUUID()}/merges`, { token: reader })).status).toBe(404)
    expect((await t.call('GET', `${API}/profiles/${mine.profile_id}/merges`)).status).toBe(401)
    const writer = await t.call('GET', `${API}/profiles/${mine.profile_id}/merges`, { token: await t.token(tenant, ['events:write']) })
    expect(writer.status).toBe(403)
    expect((await t.call('GET', `${API}/profiles/not-a-uuid/merges`, { token: reader })).status).toBe(400)
  })
})
