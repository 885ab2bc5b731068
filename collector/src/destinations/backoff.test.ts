import { expect, test } from 'vitest'
import { parseRetryAfter, retryDelayMs } from './backoff'

test('doubles per attempt with jitter between half and all of the step', () => {
  expect(retryDelayMs(1, undefined, () => 0)).toBe(2_500)
  expect(retryDelayMs(1, undefined, () => 1)).toBe(5_000)
  expect(retryDelayMs(3, undefined, () => 0.5)).toBe(15_000)
  expect(retryDelayMs(40, undefined, () => 1)).toBe(3_600_000)
})

test('never retries before the Retry-After the platform asked for', () => {
  expect(retryDelayMs(1, 120_000, () => 1)).toBe(120_000)
  expect(retryDelayMs(5, 1_000, () => 1)).toBe(80_000)
})

test('reads Retry-After as seconds or as an HTTP date', () => {
  const now = new Date('2026-01-13T12:00:00Z')
  expect(parseRetryAfter('30', now)).toBe(30_000)
  expect(parseRetryAfter('Tue, 13 Jan 2026 12:01:00 GMT', now)).toBe(60_000)
  expect(parseRetryAfter('soon', now)).toBeUndefined()
  expect(parseRetryAfter(null, now)).toBeUndefined()
  expect(parseRetryAfter('999999999', now)).toBe(86_400_000)
})
