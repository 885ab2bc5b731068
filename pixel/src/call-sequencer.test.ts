import { describe, expect, it } from 'vitest'
import { createCallSequencer } from './call-sequencer'
import type { PageContext } from './types'

describe('createCallSequencer', () => {
  it('runs calls at once when nothing is awaited', () => {
    const log: string[] = []
    const sequencer = createCallSequencer(() => ({ url: 'now' }) as PageContext, (_page, call) => call())
    sequencer.run(() => log.push('a'))
    expect(log).toEqual(['a'])
  })

  it('queues calls behind an awaited step, each with the page captured when it was made', async () => {
    const log: string[] = []
    let url = '/one'
    let current = ''
    const sequencer = createCallSequencer(
      () => ({ url }) as PageContext,
      (page, call) => {
        current = page.url
        call()
      },
    )
    let arrive: () => void = () => {}
    sequencer.wait(new Promise<void>((resolve) => (arrive = resolve)).then(() => log.push('chunk')))
    sequencer.run(() => log.push(`track ${current}`))
    url = '/two'
    sequencer.run(() => log.push(`page ${current}`))
    expect(log).toEqual([])
    arrive()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(log).toEqual(['chunk', 'track /one', 'page /two'])
    sequencer.run(() => log.push('after'))
    expect(log.at(-1)).toBe('after')
  })

  it('goes on after a failed step', async () => {
    const log: string[] = []
    const sequencer = createCallSequencer(() => ({}) as PageContext, (_page, call) => call())
    sequencer.wait(Promise.reject(new Error('chunk blocked')))
    sequencer.run(() => log.push('still runs'))
    const originalWarn = console.warn
    console.warn = () => {}
    await new Promise((resolve) => setTimeout(resolve, 0))
    console.warn = originalWarn
    expect(log).toEqual(['still runs'])
  })

  it('idle() resolves once the calls made so far have run', async () => {
    const log: string[] = []
    const sequencer = createCallSequencer(() => ({}) as PageContext, (_page, call) => call())
    let arrive: () => void = () => {}
    sequencer.wait(new Promise<void>((resolve) => (arrive = resolve)))
    sequencer.run(() => log.push('track'))
    const idle = sequencer.idle().then(() => log.push('idle'))
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(log).toEqual([])
    arrive()
    await idle
    expect(log).toEqual(['track', 'idle'])
  })
})
