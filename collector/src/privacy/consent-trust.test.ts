import { randomUUID } from 'node:crypto'
import { sha256Hex } from '@stratum/pixel/identity'
import { describe, expect, test } from 'vitest'
import { useTwoSides } from '../testing/test-source'

const EVENTS = '/api/v1/cdp/events'
const CONSENT = '/api/v1/cdp/consent'

const setup = useTwoSides()

type Side = 'browser' | 'server'
const post = (side: Side, path: string, body: unknown) => (side === 'browser' ? setup.sides.fromBrowser(path, body) : setup.sides.fromServer(path, body))
const consent = (body: unknown, side: Side) => post(side, CONSENT, body)
const send = (events: unknown[], side: Side) => post(side, EVENTS, { events })
const pageView = (identifiers: unknown[]) => ({
  event_id: randomUUID(),
  event_name: 'PageView',
  event_time: new Date().toISOString(),
  identifiers,
})
const consentRows = () => setup.t.database.db.selectFrom('consents').select(['trust', 'granted']).where('tenant_id', '=', setup.sides.tenant).execute()

/** A customer the backend knows by customer number and email, seen in a browser under `anon`. */
async function customer() {
  const person = {
    anon: { type: 'anonymous_id', value: `anon_${randomUUID()}` },
    crm: { type: 'external_id', value: `crm-${randomUUID()}` },
    email: `jane.${randomUUID().slice(0, 8)}@shop.io`,
  }
  const stitched = await send([pageView([person.crm, { type: 'email', value: person.email }, person.anon])], 'server')
  expect(stitched.body.accepted).toBe(1)
  return { ...person, profileId: stitched.body.events[0].profile_id as string }
}

describe('POST /consent with a public source key', () => {
  test.each([
    ['an email', { type: 'email', value: 'jane@shop.io' }],
    ['an email hash', { type: 'email', value: sha256Hex('jane@shop.io') }],
    ['a phone', { type: 'phone', value: '+4915123456789' }],
    ['an external id', { type: 'external_id', value: 'crm-1' }],
  ])('naming %s is refused with 403 identifier_not_allowed and records nothing', async (_name, identifier) => {
    const before = (await consentRows()).length
    const res = await consent({ identifiers: [{ type: 'anonymous_id', value: `anon_${randomUUID()}` }, identifier], purposes: { analytics: false } }, 'browser')
    expect(res.status).toBe(403)
    expect(res.body.error).toMatchObject({ code: 'identifier_not_allowed', message: expect.stringContaining(identifier.type) })
    expect(await consentRows()).toHaveLength(before)
  })

  test("the browser's own identifiers are accepted and recorded with browser trust", async () => {
    const res = await consent(
      { identifiers: [{ type: 'anonymous_id', value: `anon_${randomUUID()}` }, { type: 'device_id', value: `dev_${randomUUID()}` }], purposes: { analytics: true } },
      'browser',
    )
    expect(res.status).toBe(200)
    const view = await setup.t.call('GET', `/api/v1/cdp/profiles/${res.body.profile_id}/consent`, { token: setup.sides.token })
    expect(view.body.history[0]).toMatchObject({ purpose: 'analytics', granted: true, trust: 'browser' })
    expect(view.body.state.analytics.trust).toBe('browser')
  })
})

describe('whose data a denial suppresses', () => {
  test("a browser's analytics denial suppresses that person's browser events, never a backend's", async () => {
    const person = await customer()
    // Whoever holds the browser's anonymous id (or stitched their own to the customer) denies analytics.
    const denied = await consent({ identifiers: [person.anon], purposes: { analytics: false } }, 'browser')
    expect(denied.body.profile_id).toBe(person.profileId)

    const fromBackend = await send([pageView([person.crm])], 'server')
    expect(fromBackend.body).toMatchObject({ accepted: 1, suppressed: 0 })
    const fromBrowser = await send([pageView([person.anon])], 'browser')
    expect(fromBrowser.body).toMatchObject({ accepted: 0, suppressed: 1 })
  })

  test("a backend's denial suppresses both, and a browser's grant does not lift it", async () => {
    const person = await customer()
    await consent({ identifiers: [person.crm], purposes: { analytics: false } }, 'server')
    await consent({ identifiers: [person.anon], purposes: { analytics: true } }, 'browser')
    expect((await send([pageView([person.crm])], 'server')).body.suppressed).toBe(1)
    expect((await send([pageView([person.anon])], 'browser')).body.suppressed).toBe(1)
    // The backend's own grant lifts it for both.
    await consent({ identifiers: [person.crm], purposes: { analytics: true } }, 'server')
    expect((await send([pageView([person.crm])], 'server')).body.accepted).toBe(1)
    expect((await send([pageView([person.anon])], 'browser')).body.accepted).toBe(1)
  })

  test("a browser's marketing denial is honoured; its grant never clears a backend's denial", async () => {
    const person = await customer()
    const flag = async () => (await setup.t.call('GET', `/api/v1/cdp/profiles/${person.profileId}`, { token: setup.sides.token })).body.marketing_denied
    await consent({ identifiers: [person.anon], purposes: { marketing: false } }, 'browser')
    expect(await flag()).toBe(true)
    await consent({ identifiers: [person.anon], purposes: { marketing: true } }, 'browser')
    expect(await flag()).toBe(false)
    await consent({ identifiers: [person.crm], purposes: { marketing: false } }, 'server')
    await consent({ identifiers: [person.anon], purposes: { marketing: true } }, 'browser')
    expect(await flag()).toBe(true)
    await consent({ identifiers: [person.crm], purposes: { marketing: true } }, 'server')
    expect(await flag()).toBe(false)
  })
})
