import { describe, expect, it } from 'vitest'
import { boundedMemo } from './bounded-memo'

describe('boundedMemo', () => {
  it('computes a key once, and again only after the map started over', () => {
    const calls: string[] = []
    const length = boundedMemo((key: string) => {
      calls.push(key)
      return key.length
    }, 2)
    expect([length('ab'), length('ab'), length('abc'), length('ab')]).toEqual([2, 2, 3, 2])
    expect(calls).toEqual(['ab', 'abc'])
    // A third key fills past the bound: the map starts over with it alone.
    expect(length('abcd')).toBe(4)
    expect(length('ab')).toBe(2)
    expect(calls).toEqual(['ab', 'abc', 'abcd', 'ab'])
  })

  it('remembers falsy results too', () => {
    let calls = 0
    const nothing = boundedMemo(() => {
      calls++
      return undefined
    }, 8)
    nothing('x')
    nothing('x')
    expect(calls).toBe(1)
  })
})
