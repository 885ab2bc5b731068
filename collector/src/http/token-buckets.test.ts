import { expect, test } from 'vitest'
import { createTokenBuckets } from './token-buckets'

/** A limit, then requests as [key, time in ms, expected answer: 0 to go, else seconds to wait]. */
test.each([
  {
    what: 'a burst passes, the next request waits, and a token comes back at the rate (half a second here)',
    limit: { perSecond: 2, burst: 3 },
    takes: [['a', 0, 0], ['a', 0, 0], ['a', 0, 0], ['a', 0, 1], ['a', 499, 1], ['a', 500, 0], ['a', 500, 1]],
  },
  {
    what: 'a slow rate asks for a longer wait, in whole seconds',
    limit: { perSecond: 0.1, burst: 1 },
    takes: [['a', 0, 0], ['a', 0, 10], ['a', 7_500, 3]],
  },
  {
    what: 'keys are independent',
    limit: { perSecond: 1, burst: 1 },
    takes: [['a', 0, 0], ['a', 0, 1], ['b', 0, 0]],
  },
] as const)('$what', ({ limit, takes }) => {
  const buckets = createTokenBuckets(limit)
  expect(takes.map(([key, now]) => buckets.take(key, now))).toEqual(takes.map(([, , wait]) => wait))
})

test('peek tells the wait without taking a token', () => {
  const buckets = createTokenBuckets({ perSecond: 1, burst: 1 })
  expect(buckets.peek('a', 0)).toBe(0)
  expect(buckets.peek('a', 0)).toBe(0)
  buckets.take('a', 0)
  expect(buckets.peek('a', 0)).toBe(1)
})

test('a rate of 0 turns the limit off', () => {
  const buckets = createTokenBuckets({ perSecond: 0, burst: 1 })
  for (let i = 0; i < 100; i++) expect(buckets.take('a', 0)).toBe(0)
  expect(buckets.size()).toBe(0)
})

test('memory stays bounded: idle keys are forgotten, and past maxKeys the least recently seen go first', () => {
  const buckets = createTokenBuckets({ perSecond: 1, burst: 2 }, 100)
  for (let i = 0; i < 1_000; i++) buckets.take(`k${i}`, 0)
  expect(buckets.size()).toBe(100)
  // A key whose bucket has refilled is the same as a key never seen: later requests sweep it.
  for (let i = 0; i < 10; i++) buckets.take('busy', 10_000)
  expect(buckets.size()).toBeLessThan(100)
})

test('the most recently seen key survives eviction with its state', () => {
  const buckets = createTokenBuckets({ perSecond: 1, burst: 1 }, 3)
  buckets.take('flooder', 0)
  for (let i = 0; i < 10; i++) {
    buckets.take(`other${i}`, 0)
    expect(buckets.take('flooder', 0)).toBe(1)
  }
})
