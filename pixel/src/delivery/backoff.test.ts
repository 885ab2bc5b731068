import { describe, expect, it } from 'vitest'
import { backoffDelay, parseRetryAfter, retryDelay } from './backoff'

describe('backoffDelay', () => {
  it('doubles the window per attempt with jitter in its upper half', () => {
    expect(backoffDelay(1, () => 0)).toBe(500)
    expect(backoffDelay(1, () => 1)).toBe(1000)
    expect(backoffDelay(3, () => 0)).toBe(2000)
    expect(backoffDelay(3, () => 1)).toBe(4000)
  })

  it('caps the window at 60 s', () => {
    expect(backoffDelay(30, () => 1)).toBe(60_000)
    expect(backoffDelay(30, () => 0)).toBe(30_000)
  })

  it('spreads retries of clients that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4)))
    expect(delays.size).toBeGreaterThan(10)
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(4000)
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-13T15:30:00Z')
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('7', now)).toBe(7000)
    expect(parseRetryAfter(' 0 ', now)).toBe(0)
    expect(parseRetryAfter('Tue, 13 Jan 2026 15:30:30 GMT', now)).toBe(30_000)
  })
  it('treats past dates as now and garbage as absent', () => {
    expect(parseRetryAfter('Tue, 13 Jan 2026 15:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })
})

describe('retryDelay', () => {
  it('waits at least what the server asked', () => {
    expect(retryDelay(1, 30_000, () => 1)).toBe(30_000)
  })
  it('keeps backing off when the server asks for nothing', () => {
    expect(retryDelay(5, 0, () => 0)).toBe(8000)
    expect(retryDelay(2, undefined, () => 0)).toBe(1000)
  })
})
