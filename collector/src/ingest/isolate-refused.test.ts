import { randomUUID } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { withTenant } from '../db/with-tenant'
import { monthsBefore } from '../privacy/months-before'
import { useTestApp } from '../testing/use-test-app'
import { refusalCode } from './isolate-refused'

/**
 * A real refusal that validation cannot catch: the collector is told to keep
 * 10 years of events, while its database holds monthly partitions for the
 * 13 months it was migrated with. An event 8 years old is valid, and
 * PostgreSQL refuses it: no partition of `events` holds its row (23514).
 */
const app = useTestApp({ retentionMonths: 120 })

const event = (eventTime: Date) => ({
  event_id: randomUUID(),
  event_name: 'PageView',
  event_time: eventTime.toISOString(),
  identifiers: [{ type: 'anonymous_id', value: `anon_${randomUUID()}` }],
})

async function storedIds(ids: string[]) {
  const rows = await withTenant(app.t.database.db, app.tenant, (trx) =>
    trx.selectFrom('events').select('event_id').where('event_id', 'in', ids).execute(),
  )
  return rows.map((r) => r.event_id).sort()
}

describe('what the database refuses costs only the refused events', () => {
  test('two events without a partition among 7: the 5 others are stored, the two rejected alone', async () => {
    const unpartitioned = monthsBefore(new Date(), 100)
    const events = [0, 1, 2, 3, 4, 5, 6].map((i) => event(i === 2 || i === 5 ? unpartitioned : new Date()))
    const res = await app.t.call('POST', '/api/v1/cdp/events', { token: app.token, body: { events } })
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(5)
    expect(res.body.rejected).toEqual([
      { index: 2, code: 'storage_refused', message: expect.stringContaining('23514') },
      { index: 5, code: 'storage_refused', message: expect.stringContaining('23514') },
    ])
    expect(res.body.events.map((e: { index: number }) => e.index)).toEqual([0, 1, 3, 4, 6])
    const good = events.filter((_, i) => i !== 2 && i !== 5).map((e) => e.event_id)
    expect(await storedIds(events.map((e) => e.event_id))).toEqual(good.sort())
  })

  test('a refused event keeps no idempotency key, so its resend is never answered duplicate', async () => {
    const lone = event(monthsBefore(new Date(), 100))
    const first = await app.t.call('POST', '/api/v1/cdp/events', { token: app.token, body: { events: [lone] } })
    expect(first.body).toMatchObject({ accepted: 0, rejected: [{ index: 0, code: 'storage_refused' }] })
    const keys = await withTenant(app.t.database.db, app.tenant, (trx) =>
      trx.selectFrom('event_keys').select('event_id').where('event_id', '=', lone.event_id).execute(),
    )
    expect(keys).toEqual([])
  })
})

describe('refusalCode', () => {
  const coded = (code: string) => Object.assign(new Error('x'), { code })

  test.each(['22021', '22P05', '22008', '22P02', '23514', '54000', '54001'])('%s is the data being refused', (code) => {
    expect(refusalCode(coded(code))).toBe(code)
  })

  test.each(['23505', '23503', '53200', '53300', '40P01', '40001', '08006', 'ECONNREFUSED'])('%s is not', (code) => {
    expect(refusalCode(coded(code))).toBeNull()
  })

  test('an error without a code, or no error at all, is not', () => {
    expect(refusalCode(new Error('x'))).toBeNull()
    expect(refusalCode(null)).toBeNull()
    expect(refusalCode(undefined)).toBeNull()
  })
})
