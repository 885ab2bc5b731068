import { describe, expect, test } from 'vitest'
import { createLagWatch } from './lag-watch'

const settled = async (promise: Promise<void>, ms = 30) =>
  Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))])

describe('createLagWatch', () => {
  test('nothing measured, or a lag within the bound: nobody waits', async () => {
    const lag = createLagWatch()
    expect(await settled(lag.within('t', 1000, 5000))).toBe(true)
    lag.record('t', 800)
    expect(await settled(lag.within('t', 1000, 5000))).toBe(true)
  })

  test('a lag over the bound holds the caller until a round reports it back within, not before', async () => {
    const lag = createLagWatch()
    lag.record('t', 4000)
    const waiting = lag.within('t', 1000, 5000)
    expect(await settled(waiting)).toBe(false)
    lag.record('t', 2500)
    expect(await settled(waiting)).toBe(false)
    lag.record('t', 0)
    expect(await settled(waiting)).toBe(true)
  })

  test('the bound of each tenant is its own', async () => {
    const lag = createLagWatch()
    lag.record('a', 4000)
    lag.record('b', 4000)
    const a = lag.within('a', 1000, 5000)
    const b = lag.within('b', 1000, 5000)
    lag.record('b', 10)
    expect(await settled(b)).toBe(true)
    expect(await settled(a)).toBe(false)
    lag.forget()
    expect(await settled(a)).toBe(true)
  })

  test('a caller is held at most timeoutMs, and forgetting a tenant releases its callers', async () => {
    const lag = createLagWatch()
    lag.record('t', 4000)
    expect(await settled(lag.within('t', 1000, 20), 200)).toBe(true)
    const held = lag.within('t', 1000, 5000)
    lag.forget('t')
    expect(await settled(held)).toBe(true)
    expect(await settled(lag.within('t', 1000, 5000))).toBe(true)
  })
})
