import { createHash } from 'node:crypto'
import type { STANDARD_EVENT_NAMES } from '../emq/standard-event-names'
import { LIMITS } from '../ingest/event-contract'

type StandardName = (typeof STANDARD_EVENT_NAMES)[number]

/**
 * Segment's e-commerce and B2B SaaS spec names (RudderStack's are the same)
 * that have a standard Stratum name, keyed by {@link specKey}. The rest of
 * the spec has none (Product Removed, Cart Viewed, Order Refunded, …) and
 * becomes a custom event (`collector/docs/segment.md`).
 */
const SPEC_NAMES: Readonly<Record<string, StandardName>> = {
  ordercompleted: 'Purchase',
  productviewed: 'ViewContent',
  productadded: 'AddToCart',
  productaddedtowishlist: 'AddToWishlist',
  checkoutstarted: 'InitiateCheckout',
  paymentinfoentered: 'AddPaymentInfo',
  productssearched: 'Search',
  signedup: 'CompleteRegistration',
  signedin: 'Login',
  signedout: 'Logout',
  trialstarted: 'StartTrial',
}

/** `Order Completed`, `order_completed` and `orderCompleted` name one spec event. */
const specKey = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '')

/** The Stratum name of a `track` call's `event`, and whether it is a standard one. */
export interface TrackName {
  name: string
  standard: boolean
}

/**
 * Names a `track` call: a spec event its standard name (`Order Completed` →
 * `Purchase`, any case or separator), any other the PascalCase of its words
 * (`checkout step viewed` → `CheckoutStepViewed`, accents dropped). A name
 * left without a Latin letter or digit (`注文完了`) becomes `Custom` and 8
 * hex digits of its SHA-256, so distinct names stay distinct; one starting
 * with a digit is prefixed with `Event`. The caller keeps the original name.
 *
 * @example
 * trackName('Order Completed') // { name: 'Purchase', standard: true }
 * trackName('video played') // { name: 'VideoPlayed', standard: false }
 */
export function trackName(event: string): TrackName {
  const standard = SPEC_NAMES[specKey(event)]
  if (standard) return { name: standard, standard: true }
  return { name: pascalCase(event), standard: false }
}

function pascalCase(event: string): string {
  const words = event
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
  const joined = words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('')
  if (joined === '') return `Custom${createHash('sha256').update(event).digest('hex').slice(0, 8)}`
  return (/^[0-9]/.test(joined) ? `Event${joined}` : joined).slice(0, LIMITS.eventNameLength)
}
