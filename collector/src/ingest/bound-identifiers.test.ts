import { randomUUID } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { LIMITS } from './event-contract'
import { withTenant } from '../db/with-tenant'
import { useTestApp } from '../testing/use-test-app'
import { boundBatchIdentifiers } from './bound-identifiers'

const preparedEvent = (index: number, identifiers: Array<[string, string]>) => ({
  index,
  identifiers: identifiers.map(([type, value]) => ({ type, value })),
})

describe('boundBatchIdentifiers', () => {
  test('keeps events in order until the next would pass the bound; a later event that adds nothing new is kept', () => {
    const events = [
      preparedEvent(0, [['device_id', 'a'], ['device_id', 'b']]),
      preparedEvent(1, [['device_id', 'b'], ['email', 'c']]),
      preparedEvent(2, [['device_id', 'd'], ['device_id', 'e']]),
      preparedEvent(3, [['device_id', 'a'], ['email', 'c']]),
      preparedEvent(4, [['anonymous_id', 'f']]),
    ]
    const { kept, rejected } = boundBatchIdentifiers(events, 4)
    expect(kept.map((e) => e.index)).toEqual([0, 1, 3, 4])
    expect(rejected).toEqual([{ index: 2, code: 'too_many_identifiers', message: expect.stringContaining('4 distinct') }])
  })

  test('the same value under two types is two identifiers', () => {
    const { rejected } = boundBatchIdentifiers([preparedEvent(0, [['device_id', 'x'], ['anonymous_id', 'x']])], 1)
    expect(rejected.map((r) => r.index)).toEqual([0])
  })
})

describe('POST /events: identifier limits', () => {
  const app = useTestApp()

  const event = (identifiers: string[]) => ({
    event_id: randomUUID(),
    event_name: 'PageView',
    event_time: new Date().toISOString(),
    identifiers: identifiers.map((value) => ({ type: 'device_id', value })),
  })

  test(`an event with more than ${LIMITS.identifiersPerEvent} identifiers is rejected alone`, async () => {
    const ids = (n: number) => Array.from({ length: n }, () => `dev_${randomUUID()}`)
    const res = await app.t.call('POST', '/api/v1/cdp/events', { token: app.token, body: { events: [event(ids(50)), event(ids(51))] } })
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(1)
    expect(res.body.rejected).toEqual([{ index: 1, code: 'too_many_identifiers', message: expect.stringContaining('51') }])
  })

  test(`the events past ${LIMITS.identifiersPerBatch} distinct identifiers in a batch are rejected, the earlier ones stored`, async () => {
    const perEvent = LIMITS.identifiersPerEvent
    const full = LIMITS.identifiersPerBatch / perEvent
    const groups = Array.from({ length: full + 2 }, () => Array.from({ length: perEvent }, () => `dev_${randomUUID()}`))
    // The last event brings back the first one's identifiers: nothing new, so it fits.
    const events = [...groups.map(event), event(groups[0]!)]
    const res = await app.t.call('POST', '/api/v1/cdp/events', { token: app.token, body: { events } })
    expect(res.status).toBe(200)
    expect(res.body.rejected).toEqual([
      { index: full, code: 'too_many_identifiers', message: expect.any(String) },
      { index: full + 1, code: 'too_many_identifiers', message: expect.any(String) },
    ])
    expect(res.body.accepted).toBe(full + 1)
    const stored = await withTenant(app.t.database.db, app.tenant, (trx) =>
      trx.selectFrom('events').select('event_id').where('event_id', 'in', events.map((e) => e.event_id)).execute(),
    )
    expect(stored).toHaveLength(full + 1)
  })
})
