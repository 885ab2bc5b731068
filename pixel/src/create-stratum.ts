import { createCallSequencer } from './call-sequencer'
import { createBatchCaps } from './delivery/batch-caps'
import { createConsentRecorder } from './delivery/consent-record'
import { createDelivery } from './delivery/delivery'
import { createEventQueue } from './delivery/event-queue'
import { watchPageLifecycle } from './delivery/page-lifecycle'
import { createTabLock } from './delivery/tab-lock'
import { collectorUrl, postText, sendBeaconText } from './delivery/transport'
import { buildEvent } from './events/build-event'
import { currentPageContext } from './events/page-context'
import { createPageviewDeduper, watchNavigations } from './events/spa-pageviews'
import type { IdentityModule } from './identify/hash-traits'
import { lazyModule } from './lazy-module'
import { guard, warn } from './safe'
import type { StratumCore, StratumLoaders } from './stratum-core'
import type { IdentifyTraits, PageContext, Stratum, StratumOptions, TrackOptions, WireEvent } from './types'
import { uuid } from './uuid'
import { captureAttribution } from './visitor/click-ids'
import { createVisitorState } from './visitor/visitor-state'

/**
 * Wires the pixel together: visitor state, consent, the persisted outbox and
 * its delivery, SPA page views and unload flushing. Shared by the npm entry
 * (`createStratum`) and the script tag, which passes the page the `init` call
 * was made on so the first PageView reports it. When the identity functions
 * must be fetched, the fetch starts at once, and calls made while an
 * `identify()` waits for it run after it, in order.
 *
 * @example
 * const { api } = createStratumCore({ sourceKey: 'sk_…', endpoint: 'https://collect.shop.example' }, { identity, visitorId })
 * api.track('AddToCart', { value: 10, currency: 'EUR' })
 */
export function createStratumCore(
  options: StratumOptions,
  loaders: StratumLoaders,
  initPage?: PageContext,
): StratumCore {
  const now = () => Date.now()
  const nav = navigator
  const visitor = createVisitorState(options, loaders.visitorId)
  const { store, consent, device } = visitor
  // Queues are per source key, so two pixels on one page never send each other's events.
  const namespace = options.sourceKey.slice(-8)
  const outbox = createEventQueue<WireEvent>(store, `stratum_q_${namespace}_`, now)
  const held = createEventQueue<WireEvent>(store, `stratum_h_${namespace}_`, now)
  const url = (path: string) => collectorUrl(options.endpoint, path, options.sourceKey)
  const sender = `stratum_lock_${namespace}`
  const delivery = createDelivery({
    outbox,
    caps: createBatchCaps(store, `stratum_c_${namespace}`),
    url: url(options.path || '/api/v1/cdp/events'),
    lock: createTabLock(sender, nav.locks),
    channel: window.BroadcastChannel && new BroadcastChannel(sender),
    post: postText,
    beacon: sendBeaconText,
    // Where fetch has no keepalive (Firefox before 133), requests die with the page: unload by sendBeacon.
    keepaliveBudget: 'keepalive' in Request.prototype ? 60_000 : 0,
    isOnline: () => nav.onLine !== false,
    now,
    warn,
    flushAt: options.flushAt || 20,
    flushIntervalMs: options.flushIntervalMs || 2000,
  })
  const consentRecorder = createConsentRecorder(
    url(options.consentPath || '/api/v1/cdp/consent'),
    visitor.consentSync,
    postText,
  )
  const pages = createPageviewDeduper()
  let callPage = initPage
  const sequencer = createCallSequencer(() => callPage || currentPageContext(), at)
  const identity = lazyModule(loaders.identity)
  // A first visit: every call waits until the tabs opened together agree on one anonymous id.
  const minting = consent.route() === 'send' && visitor.anonymousId.settle(nav.locks)
  if (minting) sequencer.wait(minting)

  const marketingAllowed = () => !!consent.current()?.marketing
  const syncDevice = () => {
    if (options.deviceId && marketingAllowed()) device.ensure()
  }

  const record = (name: string, properties: Record<string, unknown> = {}, eventId?: string) => {
    const route = consent.route()
    if (route === 'drop') return
    const page = callPage || currentPageContext()
    const sessionId = visitor.session.touch()
    const marketing = marketingAllowed()
    const event = buildEvent({
      // A given id is checked by the collector, which rejects a non-UUID; the pixel warns of every rejection.
      eventId: eventId || uuid(),
      name,
      properties,
      page,
      anonymousId: visitor.anonymousId.get(),
      deviceId: options.deviceId && marketing ? device.get() : null,
      user: visitor.user(),
      sessionId,
      attribution: captureAttribution(page.url, sessionId, marketing, visitor.attribution, now()),
      consent: consent.current(),
    })
    if (route === 'hold') return held.add(event)
    outbox.add(event)
    delivery.schedule()
  }

  const page = (properties?: Record<string, unknown>) => {
    pages.next((callPage || currentPageContext()).url, true)
    record('PageView', properties)
  }

  const decide = (choice: Parameters<Stratum['consent']>[0]) => {
    const decision = consent.decide(choice || {})
    const aid = visitor.anonymousId.get()
    // Only the browser's own id: a public key may not decide for an email or a customer number,
    // and the collector finds the person through this id once the visitor has logged in.
    consentRecorder.record({
      identifiers: [{ type: 'anonymous_id', value: aid }],
      purposes: decision,
      ...(options.policyVersion && { policy_version: options.policyVersion }),
    })
    if (!decision.marketing) {
      device.clear()
      visitor.eraseMarketingIds()
    }
    const waiting = held.list()
    held.remove(waiting.map((e) => e.event_id))
    if (!decision.analytics) return visitor.eraseIdentity()
    visitor.persistIdentity()
    for (const event of waiting) {
      // Held events from earlier pages carry the in-memory id of their page: unify on the current one.
      event.identifiers = event.identifiers.map((id) => (id.type === 'anonymous_id' ? { ...id, value: aid } : id))
      outbox.add({ ...event, consent: decision })
    }
    delivery.schedule()
    syncDevice()
  }

  const identify = (traits: IdentifyTraits) => {
    const apply = (module: IdentityModule) => {
      const user = module.identifyUser(visitor.user(), traits, options.defaultCountry)
      if (user) {
        visitor.setUser(user)
        record('Identify')
      }
    }
    const loaded = identity.get()
    if (loaded) return apply(loaded)
    const page = callPage || currentPageContext()
    sequencer.wait(identity.load().then((module) => at(page, () => apply(module))))
  }

  function at<T>(context: PageContext, call: () => T): T {
    callPage = context
    try {
      return call()
    } finally {
      callPage = undefined
    }
  }

  /** A public method: never throws, and keeps its place in the call order. */
  const inOrder =
    <A extends unknown[]>(method: (...args: A) => void) =>
    (...args: A) =>
      guard(sequencer.run)(() => method(...args))

  const api: Stratum = {
    track: inOrder((eventName: string, properties?: Record<string, unknown>, options?: TrackOptions) =>
      record(String(eventName), properties, options?.eventId),
    ),
    page: inOrder(page),
    identify: inOrder(identify),
    consent: inOrder(decide),
    reset: inOrder(visitor.reset),
    // After the calls made before it, which may still wait for the anonymous id or the identity chunk.
    flush: () => sequencer.idle().then(guard(delivery.flush)),
  }

  // Events left by an earlier page (reload, crash, outage) go out now, not after the batching delay.
  if (outbox.size()) void delivery.flush()
  watchPageLifecycle(window, delivery)
  if (options.autoPageviews !== false) {
    // Through the public, ordered page(): it waits behind a first visit's id like any other call.
    api.page()
    watchNavigations(window, (restored) => {
      const referrer = pages.last() || document.referrer
      if (pages.next(location.href, restored)) at({ ...currentPageContext(), referrer }, api.page)
    })
  }
  callPage = undefined
  consentRecorder.resend()
  syncDevice()
  // Fetched now rather than on the first identify(): a login form that navigates away right after
  // identify() must not wait for it.
  if (!identity.get()) identity.load().catch(() => warn('identity chunk failed to load'))
  return { api, at }
}
