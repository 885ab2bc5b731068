import { expect, test } from 'vitest'
import { monthsBefore } from './months-before'

test('goes back whole calendar months in UTC, as ingest does', () => {
  expect(monthsBefore(new Date('2026-03-15T10:00:00Z'), 13).toISOString()).toBe('2025-02-15T10:00:00.000Z')
  expect(monthsBefore(new Date('2026-01-01T00:00:00Z'), 1).toISOString()).toBe('2025-12-01T00:00:00.000Z')
})
