import { describe, expect, it } from 'vitest'
import { createKeyValueStore } from '../key-value-store'
import { sharedStorage } from '../testing/memory-storage'
import { createBatchCaps } from './batch-caps'

const fresh = () => {
  const store = createKeyValueStore(sharedStorage())
  return { store, caps: createBatchCaps(store, 'caps') }
}

describe('createBatchCaps', () => {
  it('halves the cap of every event of a batch the collector failed on (500), down to travelling alone', () => {
    const { caps } = fresh()
    expect(caps.settle(['a', 'b', 'c', 'd', 'e', 'f'], 500)).toEqual([])
    expect(caps.read()).toEqual({ a: 3, b: 3, c: 3, d: 3, e: 3, f: 3 })
    expect(caps.settle(['a', 'b', 'c'], 500)).toEqual([])
    expect(caps.read()).toMatchObject({ a: 1.5, d: 3 })
    expect(caps.settle(['a', 'b'], 500)).toEqual([])
    expect(caps.read()).toMatchObject({ a: 0.75, b: 0.75, c: 1.5 })
  })

  it('drops an event at its third failure alone', () => {
    const { caps } = fresh()
    caps.settle(['a', 'b'], 500)
    expect(caps.settle(['a'], 500)).toEqual([])
    expect(caps.settle(['a'], 500)).toEqual([])
    expect(caps.settle(['a'], 599)).toEqual(['a'])
    expect(caps.read()).toEqual({ b: 1 })
  })

  it('drops an event alone in the queue at its third failure', () => {
    const { caps } = fresh()
    expect([caps.settle(['a'], 500), caps.settle(['a'], 500), caps.settle(['a'], 500)]).toEqual([[], [], ['a']])
  })

  it.each([0, 408, 429, 502, 503, 504])('leaves caps and queue alone on %i', (status) => {
    const { caps } = fresh()
    caps.settle(['a', 'b'], 500)
    for (let i = 0; i < 10; i++) expect(caps.settle(['a'], status)).toEqual([])
    expect(caps.read()).toEqual({ a: 1, b: 1 })
  })

  it.each([200, 207, 400, 413])('takes acknowledged or refused events (%i) out, with their caps', (status) => {
    const { caps } = fresh()
    caps.settle(['a', 'b'], 500)
    expect(caps.settle(['a'], status)).toEqual(['a'])
    expect(caps.read()).toEqual({ b: 1 })
  })

  it('keeps caps in the store, for the next page and the next sender', () => {
    const { store, caps } = fresh()
    caps.settle(['a', 'b'], 500)
    expect(createBatchCaps(store, 'caps').read()).toEqual({ a: 1, b: 1 })
  })

  it('reads unreadable storage as no caps', () => {
    const { store, caps } = fresh()
    store.set('caps', '{oops')
    expect(caps.read()).toEqual({})
  })
})
