import { randomUUID } from 'node:crypto'
import { afterAll, expect, it } from 'vitest'
import { createTestApp } from '../testing/test-app'

const t = await createTestApp()
afterAll(() => t.close())

it('is watched on PostgreSQL always, and on PGlite only while this process has a subscriber', async () => {
  const tenant = randomUUID()
  const server = Boolean(process.env.DATABASE_URL)
  expect(t.eventFeed.watched(tenant)).toBe(server)
  const subscription = await t.eventFeed.subscribe(tenant, {})
  expect(t.eventFeed.watched(tenant)).toBe(true)
  subscription.close()
  expect(t.eventFeed.watched(tenant)).toBe(server)
})
