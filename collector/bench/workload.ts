/**
 * The benchmark's workload: 100-event batches from a returning population,
 * as a shop's backend would relay them. Every body is distinct (fresh event
 * ids); the people, and so the identifiers, come back batch after batch.
 * Deterministic per seed, so two runs send the same mix.
 *
 * Each person has an anonymous id (one in seven a second device), 40 % an
 * email, 10 % a phone, 25 % a customer id. Events are PageView, ViewContent,
 * AddToCart and Purchase (with value, currency, order id); a quarter carry
 * click ids and a campaign. Every batch also brings one new visitor, whose
 * anonymous id the resolution-lag probe looks up (`newVisitorId`).
 */

/** One event as the collector's `POST /events` takes it. */
type WireEvent = Record<string, unknown>

export const BATCH_SIZE = 100

const NAMES = ['PageView', 'ViewContent', 'AddToCart', 'Purchase'] as const
/** Cumulative weights of NAMES: 55 % page views, 25 % product views, 12 % carts, 8 % purchases. */
const NAME_WEIGHTS = [0.55, 0.8, 0.92, 1]
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
]
/** A session lasts this many batches of the run, then everyone starts a new one. */
const BATCHES_PER_SESSION = 20

/**
 * A small seeded generator (mulberry32): the same seed gives the same workload.
 *
 * @example
 * const random = seededRandom(42); random() // 0.6011…, the same on every run
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * The anonymous id of the new visitor of batch `seq`: unknown to the collector until that batch is stored.
 *
 * @example
 * newVisitorId('r1', 42) // 'new-r1-42'
 */
export function newVisitorId(runTag: string, seq: number): string {
  return `new-${runTag}-${seq}`
}

/**
 * The body of batch `seq`: 99 events from people drawn at random among
 * `people`, and the new visitor.
 *
 * @example
 * const body = batchBody({ runTag: 'r1', people: 5000, seq: 42 })
 */
export function batchBody(options: { runTag: string; people: number; seq: number }): string {
  const random = seededRandom(options.seq + 1)
  const events: WireEvent[] = []
  for (let i = 0; i < BATCH_SIZE - 1; i++) events.push(personEvent(Math.floor(random() * options.people), options.seq, random))
  events.push({
    ...baseEvent('PageView', options.seq, random),
    identifiers: [{ type: 'anonymous_id', value: newVisitorId(options.runTag, options.seq) }],
  })
  return JSON.stringify({ events })
}

/**
 * A warm-up body: people `first` to `first + 99`, each with every identifier
 * they have, so that the population is known before anything is measured.
 *
 * @example
 * const bodies = Array.from({ length: 50 }, (_, w) => warmUpBody(w * 100))
 */
export function warmUpBody(first: number): string {
  const random = seededRandom(first + 7)
  const events = Array.from({ length: BATCH_SIZE }, (_, i) => ({
    ...personEvent(first + i, 0, random),
    identifiers: identifiersOf(first + i, 0, true),
  }))
  return JSON.stringify({ events })
}

function personEvent(person: number, seq: number, random: () => number): WireEvent {
  const draw = random()
  const name = NAMES[NAME_WEIGHTS.findIndex((w) => draw < w)]!
  // Carts and purchases are made logged in; one other event in five is too.
  const loggedIn = name === 'AddToCart' || name === 'Purchase' || random() < 0.2
  const event: WireEvent = {
    ...baseEvent(name, seq, random),
    identifiers: identifiersOf(person, seq, loggedIn),
    properties: propertiesOf(name, person, random),
  }
  const context = event.context as Record<string, unknown>
  context.session_id = `s-${person}-${Math.floor(seq / BATCHES_PER_SESSION)}`
  context.ip = `81.${(person >> 8) & 255}.${person & 255}.${1 + (person % 200)}`
  context.user_agent = AGENTS[person % AGENTS.length]
  if (random() < 0.25) {
    context.click_ids =
      person % 2 === 0
        ? { gclid: `Cj0KCQjw${person.toString(36)}${seq.toString(36)}` }
        : { fbc: `fb.1.${Date.now()}.IwAR${person.toString(36)}`, fbp: `fb.1.${Date.now() - 86_400_000}.${person}` }
    context.campaign = { utm_source: person % 2 === 0 ? 'google' : 'facebook', utm_medium: 'cpc', utm_campaign: 'summer' }
  }
  if (name === 'Purchase' && hasEmail(person)) {
    event.user_data = { fn: `first${person % 97}`, ln: `last${person % 89}`, ct: 'paris', country: 'fr' }
  }
  return event
}

function baseEvent(name: string, seq: number, random: () => number): WireEvent {
  const path = `/p/${Math.floor(random() * 500)}`
  return {
    event_id: crypto.randomUUID(),
    event_name: name,
    event_time: new Date(Date.now() - Math.floor(random() * 60_000)).toISOString(),
    action_source: 'website',
    context: {
      page: { url: `https://shop.example${path}`, referrer: 'https://shop.example/', title: `Product ${path}` },
      locale: 'fr-FR',
      timezone: 'Europe/Paris',
      session_id: `s-new-${seq}`,
    },
  }
}

const hasEmail = (person: number) => person % 5 < 2

function identifiersOf(person: number, seq: number, loggedIn: boolean) {
  const secondDevice = person % 7 === 0 && seq % 2 === 1
  const ids: Array<{ type: string; value: string }> = [
    { type: 'anonymous_id', value: secondDevice ? `a-${person}-m` : `a-${person}` },
  ]
  if (!loggedIn) return ids
  if (hasEmail(person)) ids.push({ type: 'email', value: `Person.${person}@Example.com` })
  if (person % 10 === 3) ids.push({ type: 'phone', value: `+33 6 ${String(10_000_000 + person * 7919).slice(-8)}` })
  if (person % 4 === 1) ids.push({ type: 'external_id', value: `cust-${person}` })
  return ids
}

function propertiesOf(name: string, person: number, random: () => number): Record<string, unknown> {
  const sku = `sku-${Math.floor(random() * 300)}`
  const value = Math.round((5 + random() * 195) * 100) / 100
  switch (name) {
    case 'PageView':
      return {}
    case 'ViewContent':
      return { content_ids: [sku], content_type: 'product', value, currency: 'EUR' }
    case 'AddToCart':
      return { content_ids: [sku], content_type: 'product', value, currency: 'EUR', num_items: 1 }
    default:
      return { content_ids: [sku], value, currency: 'EUR', num_items: 1, order_id: `o-${person}-${crypto.randomUUID()}` }
  }
}
