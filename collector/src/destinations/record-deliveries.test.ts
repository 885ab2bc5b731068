import { randomUUID } from 'node:crypto'
import { expect, test } from 'vitest'
import { withTenant } from '../db/with-tenant'
import { useTwoSides } from '../testing/test-source'

const EVENTS = '/api/v1/cdp/events'
const setup = useTwoSides()

const event = (name: string, id = randomUUID()) => ({
  event_id: id,
  event_name: name,
  event_time: new Date().toISOString(),
  action_source: 'website',
  identifiers: [{ type: 'anonymous_id', value: `anon-${id}` }],
})

const outbox = () =>
  withTenant(setup.t.database.db, setup.sides.tenant, (trx) =>
    trx.selectFrom('deliveries').select(['destination_id', 'event_id', 'event_name', 'source_id', 'status', 'emq']).orderBy('event_name').execute(),
  )

test('the ingest transaction records one pending delivery per enabled destination whose filters match', async () => {
  const { t, sides } = setup
  const create = async (name: string, extra: object) =>
    (await t.call('POST', '/api/v1/cdp/destinations', { token: sides.token, body: { name, type: 'webhook', config: { url: 'https://crm.example/' }, ...extra } })).body.id as string
  const all = await create('All', {})
  const purchases = await create('Purchases from the backend', { filters: { event_names: ['Purchase'], source_ids: ['server'] } })
  await create('Off', { enabled: false })
  await sides.fromBrowser(EVENTS, { events: [event('PageView'), event('Purchase')] })
  const confirmed = event('Purchase')
  await sides.fromServer(EVENTS, { events: [confirmed] })
  const rows = await outbox()
  expect(rows.filter((r) => r.destination_id === all)).toHaveLength(3)
  expect(rows.filter((r) => r.destination_id === purchases)).toEqual([
    { destination_id: purchases, event_id: confirmed.event_id, event_name: 'Purchase', source_id: null, status: 'pending', emq: expect.any(Number) },
  ])
  expect(rows.every((r) => r.status === 'pending')).toBe(true)
  // A duplicate adds nothing; the backend's copy of a browser event takes over its pending delivery.
  await sides.fromServer(EVENTS, { events: [confirmed] })
  expect(await outbox()).toHaveLength(4)
  const claimed = event('Purchase')
  await sides.fromBrowser(EVENTS, { events: [claimed] })
  const replaced = await sides.fromServer(EVENTS, { events: [claimed] })
  expect(replaced.body.events[0].warnings).toEqual(['browser_copy_replaced'])
  const mine = (await outbox()).filter((r) => r.event_id === claimed.event_id)
  expect(mine.map((r) => [r.destination_id, r.source_id]).sort()).toEqual([[all, null], [purchases, null]].sort())
})
