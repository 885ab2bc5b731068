import { expect, test } from 'vitest'
import { twoSides } from '../../testing/test-source'
import { createDestination, sendFromPage, testWorker, webEvent, useTrustApp } from '../../testing/trust-engine'

const app = useTrustApp()

test('GET /trust: level, band, mean EMQ, counts and reasons per source and destination', async () => {
  const sides = await twoSides(app.t)
  const meta = await createDestination(app.t, sides, { name: 'Meta', type: 'meta_capi', config: { pixel_id: '1', access_token: 'EAAB', api_base_url: app.graph.url } })
  await sendFromPage(app.t, sides, [webEvent('PageView', 'email'), webEvent('PageView', 'email'), webEvent('PageView', 'email'), webEvent('PageView', 'fbp')])
  await testWorker(app.t).runOnce()
  const res = await app.t.call('GET', '/api/v1/cdp/trust', { token: await app.t.token(sides.tenant, ['profiles:read']) })
  expect(res.status).toBe(200)
  const [web, server] = res.body.sources
  expect(web).toMatchObject({ source_id: expect.any(String), events: 4, band: 'good', level: 'partial', mean_emq: expect.any(Number) })
  expect(web.reasons[0]).toMatch(/^Partial: 25 % of events below 60 EMQ — most lack `\w+`; adding it gains \+\d+\.\d$/)
  expect(web.reasons.length).toBeGreaterThan(1)
  expect(web.destinations).toEqual([
    {
      destination_id: meta.id, name: 'Meta', enabled: true, level: 'partial', override: false,
      pending: 0, held: 1, delivered: 3, dead: 0, suppressed: 0, discarded: 0, expired: 0, held_reasons: { emq_below_60: 1 },
    },
  ])
  expect(server).toMatchObject({ source_id: null, name: 'server', events: 0, band: null, level: 'manual', reasons: ['Manual: no events in the last 24 h'] })
  expect(server.destinations[0]).toMatchObject({ level: 'manual', delivered: 0 })
  const denied = await app.t.call('GET', '/api/v1/cdp/trust', { token: await app.t.token(sides.tenant, ['events:write']) })
  expect(denied.status).toBe(403)
})
