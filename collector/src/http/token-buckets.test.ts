import { expect, test } from 'vitest'
import { createTokenBuckets } from './token-buckets'

test('a burst passes, the next request waits for a token, and a token comes back at the configured rate', () => {
  const buckets = createTokenBuckets({ perSecond: 2, burst: 3 })
  expect([0, 0, 0].map(() => buckets.take('a', 0))).toEqual([0, 0, 0])
  // Half a second per token: the next one is due in under a second.
  expect(buckets.take('a', 0)).toBe(1)
  expect(buckets.take('a', 499)).toBe(1)
  expect(buckets.take('a', 500)).toBe(0)
  expect(buckets.take('a', 500)).toBe(1)
})

test('a slow rate asks for a longer wait, in whole seconds', () => {
  const buckets = createTokenBuckets({ perSecond: 0.1, burst: 1 })
  expect(buckets.take('a', 0)).toBe(0)
  expect(buckets.take('a', 0)).toBe(10)
  expect(buckets.take('a', 7_500)).toBe(3)
})

test('keys are independent', () => {
  const buckets = createTokenBuckets({ perSecond: 1, burst: 1 })
  expect(buckets.take('a', 0)).toBe(0)
  expect(buckets.take('a', 0)).toBe(1)
  expect(buckets.take('b', 0)).toBe(0)
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
