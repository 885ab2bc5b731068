import { readFileSync } from 'node:fs'
import { runInNewContext } from 'node:vm'
import { describe, expect, it, vi } from 'vitest'
import type { StratumCore } from '../stratum-core'
import type { PageContext } from '../types'
import { createCallDispatcher } from './call-dispatcher'
import { replayQueuedCalls } from './snippet-queue'

const snippet = readFileSync(new URL('../../snippet/snippet.js', import.meta.url), 'utf8')

/** Runs the real snippet in a sandbox whose page changes between calls, as an SPA's would. */
function runSnippet(calls: (stratum: (...args: unknown[]) => void, page: { href: string; title: string }) => void) {
  const page = { href: 'https://shop.example/', title: 'Home' }
  const appended: string[] = []
  const document = {
    get title() {
      return page.title
    },
    referrer: 'https://search.example/',
    createElement: () => ({}),
    head: { appendChild: (script: { src: string }) => appended.push(script.src) },
  }
  const location = {
    get href() {
      return page.href
    },
  }
  const sandbox: Record<string, unknown> = { document, location, Date }
  sandbox.window = sandbox
  runInNewContext(snippet, sandbox)
  calls(sandbox.stratum as (...args: unknown[]) => void, page)
  return { stub: sandbox.stratum as { q: unknown }, appended }
}

/** A fake pixel that logs what ran, with which page. */
function fakeCore(log: string[]): StratumCore {
  let page: PageContext | undefined
  const method =
    (name: string) =>
    (...args: unknown[]) =>
      log.push(`${name}(${args.map((a) => JSON.stringify(a)).join(',')}) @${page?.url} ${page?.title}`)
  return {
    api: {
      track: method('track'),
      page: method('page'),
      identify: method('identify'),
      consent: method('consent'),
      reset: method('reset'),
      flush: async () => {},
    },
    at(context, call) {
      page = context
      return call()
    },
  }
}

describe('snippet replay', () => {
  it('replays calls made before the bundle in order, each with the page it was made on', () => {
    const { stub, appended } = runSnippet((stratum, page) => {
      stratum('track', 'ViewContent', { id: 1 })
      page.href = 'https://shop.example/cart'
      page.title = 'Cart'
      stratum('identify', { email: 'x' })
      stratum('track', 'InitiateCheckout')
    })
    expect(appended).toEqual(['https://collect.shop.example/stratum.min.js'])
    const log: string[] = []
    const dispatch = createCallDispatcher((options, page) => {
      log.push(`init ${JSON.stringify(options)} @${page.url}`)
      return fakeCore(log)
    })
    replayQueuedCalls(stub.q, dispatch)
    expect(log).toEqual([
      'init {"sourceKey":"sk_YOUR_SOURCE_KEY","endpoint":"https://collect.shop.example"} @https://shop.example/',
      'track("ViewContent",{"id":1}) @https://shop.example/ Home',
      'identify({"email":"x"}) @https://shop.example/cart Cart',
      'track("InitiateCheckout") @https://shop.example/cart Cart',
    ])
  })

  it('never throws, even when the bundle cannot be loaded', () => {
    const page = { href: 'https://shop.example/' }
    const sandbox: Record<string, unknown> = {
      document: {
        createElement: () => {
          throw new Error('blocked')
        },
      },
      location: page,
      Date,
    }
    sandbox.window = sandbox
    expect(() => runInNewContext(snippet, sandbox)).not.toThrow()
    const stratum = sandbox.stratum as ((...args: unknown[]) => void) & { q: unknown[] }
    expect(() => stratum('track', 'Lead')).not.toThrow()
    expect(stratum.q).toHaveLength(2)
  })

  it('skips malformed queue entries without stopping the others', () => {
    const log: string[] = []
    const dispatch = createCallDispatcher(() => fakeCore(log))
    const page = { url: 'https://shop.example/', title: 'T', referrer: '', ts: 1 }
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    replayQueuedCalls([['init', {}], 'garbage', [['init', {}], page], [['track', 'Lead'], page], [['nope'], page]], dispatch)
    expect(log).toEqual(['track("Lead") @https://shop.example/ T'])
  })

  it('holds calls made before init and ignores a second init', () => {
    const log: string[] = []
    let inits = 0
    const dispatch = createCallDispatcher(() => {
      inits++
      return fakeCore(log)
    })
    const page = { url: 'https://shop.example/', title: 'T', referrer: '', ts: 1 }
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    dispatch(['track', 'Early'], page)
    expect(log).toEqual([])
    dispatch(['init', {}], page)
    dispatch(['init', {}], page)
    expect(inits).toBe(1)
    expect(log).toEqual(['track("Early") @https://shop.example/ T'])
  })
})
