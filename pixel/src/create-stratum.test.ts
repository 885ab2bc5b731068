import { afterEach, describe, expect, it, vi } from 'vitest'
import { createStratumCore } from './create-stratum'
import { identifyUser } from './identify/hash-traits'
import { sha256Hex } from './identity'
import { deferredLocks } from './testing/deferred-locks'
import { installFakeBrowser } from './testing/fake-browser'
import type { StratumOptions } from './types'

const options: StratumOptions = { sourceKey: 'sk_test_source_key', endpoint: 'https://collect.example' }
const loaders = { identity: { identifyUser }, visitorId: async () => 'device-1' }

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('createStratumCore', () => {
  it('sends a PageView in the collector format on start', async () => {
    const browser = installFakeBrowser({ url: 'https://www.shop.example/p?utm_source=news&gclid=G1' })
    const { api } = createStratumCore(options, loaders)
    await api.flush()
    expect(browser.requests[0]?.url).toBe('https://collect.example/api/v1/cdp/events?source_key=sk_test_source_key')
    const [event] = browser.events() as never as Record<string, never>[]
    expect(event).toMatchObject({
      event_name: 'PageView',
      action_source: 'website',
      identifiers: [{ type: 'anonymous_id' }],
      properties: {},
      context: {
        page: { url: 'https://www.shop.example/p?utm_source=news&gclid=G1', title: 'Home' },
        locale: 'en-US',
        campaign: { utm_source: 'news' },
        click_ids: { gclid: 'G1' },
        library: { name: '@stratum/pixel' },
      },
      consent: { analytics: true, marketing: true },
    })
    expect(event?.event_id).toMatch(/^[0-9a-f-]{36}$/)
    expect(browser.jar.read()).toContain('stratum_aid=')
  })

  it('on a first visit, waits for the tabs to agree on one anonymous id before any event', async () => {
    const locks = deferredLocks()
    const browser = installFakeBrowser({ url: 'https://www.shop.example/landing', locks: locks.manager })
    const { api } = createStratumCore(options, loaders)
    api.track('Lead')
    const flushed = api.flush()
    expect(locks.pending()).toEqual(['stratum_aid'])
    expect(Object.keys(browser.storage).some((k) => k.startsWith('stratum_q_'))).toBe(false)
    // Another tab, opened at the same moment, held the lock and created the id first.
    browser.jar.write('stratum_aid=from-the-other-tab; Path=/')
    browser.goTo('/elsewhere')
    locks.open()
    await flushed
    const events = browser.events()
    expect(events.map((e) => e.event_name)).toEqual(['PageView', 'Lead'])
    for (const event of events) expect(event.identifiers).toEqual([{ type: 'anonymous_id', value: 'from-the-other-tab' }])
    // Each event keeps the page it was made on.
    expect(events.map((e) => (e.context as { page: { url: string } }).page.url)).toEqual([
      'https://www.shop.example/landing',
      'https://www.shop.example/landing',
    ])
  })

  it('holds events until consent, then releases them with the decision', async () => {
    const browser = installFakeBrowser()
    const { api } = createStratumCore({ ...options, requireConsent: true }, loaders)
    api.track('Lead', { value: 1 })
    await api.flush()
    expect(browser.requests).toHaveLength(0)
    expect(Object.keys(browser.storage).filter((k) => k.startsWith('stratum_h_'))).toHaveLength(2)
    expect(browser.jar.read()).not.toContain('stratum_aid')
    api.consent({ analytics: true, marketing: false })
    await api.flush()
    const events = browser.events()
    expect(events.map((e) => e.event_name)).toEqual(['PageView', 'Lead'])
    expect(events.every((e) => JSON.stringify(e.consent) === '{"analytics":true,"marketing":false}')).toBe(true)
    const consentRequest = browser.requests.find((r) => r.url.includes('/api/v1/cdp/consent'))
    expect(consentRequest?.body).toMatchObject({ purposes: { analytics: true, marketing: false } })
    expect(browser.jar.read()).toContain('stratum_aid=')
  })

  it('discards held events when consent is denied, and sends nothing after', async () => {
    const browser = installFakeBrowser()
    const { api } = createStratumCore({ ...options, requireConsent: true }, loaders)
    api.track('Lead')
    api.consent({ analytics: false })
    api.track('Purchase', { value: 1, currency: 'EUR' })
    await api.flush()
    expect(browser.events()).toHaveLength(0)
    expect(Object.keys(browser.storage).some((k) => k.startsWith('stratum_h_'))).toBe(false)
    expect(browser.jar.read()).toContain('stratum_consent=a0m0')
  })

  it('lets Global Privacy Control deny marketing, whatever is granted', async () => {
    const browser = installFakeBrowser({ url: 'https://www.shop.example/?fbclid=F1', gpc: true })
    const { api } = createStratumCore({ ...options, deviceId: true }, loaders)
    api.consent({ analytics: true, marketing: true })
    api.track('Lead')
    await api.flush()
    for (const event of browser.events()) {
      expect(event.consent).toEqual({ analytics: true, marketing: false })
      expect(event.context).not.toHaveProperty('click_ids')
      expect(JSON.stringify(event.identifiers)).not.toContain('device_id')
    }
    expect(browser.jar.read()).not.toContain('_fbc')
  })

  it("records consent for the browser's own anonymous id only, never for identify()'s email", async () => {
    const browser = installFakeBrowser()
    const { api } = createStratumCore(options, loaders)
    api.identify({ email: 'jane@shop-example.com' })
    api.consent({ analytics: true, marketing: false })
    await api.flush()
    const aid = /stratum_aid=([^;]+)/.exec(browser.jar.read())?.[1]
    const consentRequest = browser.requests.find((r) => r.url.includes('/api/v1/cdp/consent'))
    expect(consentRequest?.body).toEqual({ identifiers: [{ type: 'anonymous_id', value: aid }], purposes: { analytics: true, marketing: false } })
  })

  it('takes the event id a backend gave, so that both copies are stored once; a fresh one when none is given', async () => {
    const browser = installFakeBrowser()
    const { api } = createStratumCore({ ...options, autoPageviews: false }, loaders)
    const eventId = '5C0E3A52-41B7-8D2E-9F10-0123456789AB'
    api.track('Purchase', { value: 129.5, currency: 'EUR' }, { eventId })
    api.track('Purchase', { value: 1, currency: 'EUR' })
    await api.flush()
    const [given, fresh] = browser.events()
    expect(given?.event_id).toBe(eventId)
    expect(fresh?.event_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('hashes identify() traits before storing or sending them', async () => {
    const browser = installFakeBrowser()
    const { api } = createStratumCore(options, loaders)
    api.identify({ email: ' Info@Shop-Example.com ', phone: '+1 (650) 555-1212', firstName: 'Mary' })
    api.track('Lead')
    await api.flush()
    const lead = browser.events().find((e) => e.event_name === 'Lead')
    expect(lead?.identifiers).toEqual([
      { type: 'anonymous_id', value: expect.any(String) },
      { type: 'email', value: sha256Hex('info@shop-example.com'), role: true },
      { type: 'phone', value: sha256Hex('16505551212') },
    ])
    expect(lead?.user_data).toEqual({ fn: sha256Hex('mary') })
    const everything = JSON.stringify(browser.requests) + browser.stored()
    // Whole values only: a fragment as short as '650' turns up in random event ids (about 1 run in 15).
    for (const raw of ['Shop-Example', 'shop-example', '(650) 555-1212', '6505551212', 'Mary', 'mary']) expect(everything).not.toContain(raw)
  })

  it('keeps call order while identify() waits for the identity chunk', async () => {
    const browser = installFakeBrowser()
    let arrive: (module: typeof loaders.identity) => void = () => {}
    const identity = () => new Promise<typeof loaders.identity>((resolve) => (arrive = resolve))
    const { api } = createStratumCore({ ...options, autoPageviews: false }, { ...loaders, identity })
    api.track('ViewContent')
    api.identify({ email: 'jane@shop-example.com' })
    api.track('Purchase', { value: 10, currency: 'EUR' })
    arrive({ identifyUser })
    await new Promise((resolve) => setTimeout(resolve, 0))
    await api.flush()
    const events = browser.events()
    expect(events.map((e) => e.event_name)).toEqual(['ViewContent', 'Identify', 'Purchase'])
    expect(JSON.stringify(events[2]?.identifiers)).toContain(sha256Hex('jane@shop-example.com'))
    expect(JSON.stringify(events[0]?.identifiers)).not.toContain(sha256Hex('jane@shop-example.com'))
  })

  it('sends SPA page views once per URL', async () => {
    const browser = installFakeBrowser()
    const { api } = createStratumCore(options, loaders)
    history.pushState({}, '', '/a')
    history.replaceState({ scroll: 1 }, '', '/a')
    window.dispatchEvent(new Event('popstate'))
    history.pushState({}, '', '/b#top')
    window.dispatchEvent(new Event('hashchange'))
    await api.flush()
    const pages = browser.events().map((e) => (e.context as { page: { url: string; referrer: string } }).page)
    expect(pages.map((p) => p.url)).toEqual([
      'https://www.shop.example/',
      'https://www.shop.example/a',
      'https://www.shop.example/b#top',
    ])
    expect(pages[2]?.referrer).toBe('https://www.shop.example/a')
  })

  it('changes the anonymous id only on reset()', async () => {
    const browser = installFakeBrowser()
    const first = createStratumCore(options, loaders)
    const again = createStratumCore(options, loaders)
    again.api.reset()
    again.api.track('Lead')
    await first.api.flush()
    await again.api.flush()
    // Without Web Locks or BroadcastChannel (this fake browser), both instances may send an event: count each once.
    const aidOf = (name: string) =>
      new Set(browser.events().filter((e) => e.event_name === name).map((e) => (e.identifiers as { value: string }[])[0]?.value))
    const pageViews = aidOf('PageView')
    expect(pageViews.size).toBe(1)
    expect(aidOf('Lead').size).toBe(1)
    expect(pageViews).not.toContain([...aidOf('Lead')][0])
  })

  it('never throws into the page', () => {
    installFakeBrowser()
    const { api } = createStratumCore(options, loaders)
    const circular: Record<string, unknown> = {}
    circular.self = circular
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(() => api.track('Lead', circular)).not.toThrow()
    expect(() => api.identify(null as never)).not.toThrow()
    expect(() => api.consent(undefined as never)).not.toThrow()
  })
})
