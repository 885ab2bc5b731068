import { randomUUID } from 'node:crypto'
import { afterAll, expect, it, vi } from 'vitest'
import { createTestApp } from '../testing/test-app'

const t = await createTestApp()
afterAll(() => t.close())

it('is watched while someone subscribes to the tenant, and not once nobody does', async () => {
  const tenant = randomUUID()
  // On a PostgreSQL server, a view of the registry that is missing or stale answers yes until it is refreshed.
  await vi.waitFor(() => expect(t.eventFeed.watched(tenant)).toBe(false))
  const subscription = await t.eventFeed.subscribe(tenant, {})
  expect(t.eventFeed.watched(tenant)).toBe(true)
  subscription.close()
  // Within a second (the age past which a view is refreshed) plus the refresh.
  await vi.waitFor(() => expect(t.eventFeed.watched(tenant)).toBe(false), { timeout: 3000 })
})
