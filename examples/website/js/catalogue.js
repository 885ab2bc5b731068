/** The shop's currency, sent with every event that carries a value. */
export const CURRENCY = 'EUR'

/** The catalogue. Prices are in cents so that sums stay exact. */
export const PRODUCTS = [
  { id: 'sofa-1', name: 'Linen sofa', priceCents: 12950, icon: '🛋️', blurb: 'Three seats, washable linen covers.' },
  { id: 'lamp-2', name: 'Brass floor lamp', priceCents: 4990, icon: '💡', blurb: 'Warm light for a reading corner.' },
  { id: 'rug-3', name: 'Wool rug', priceCents: 8900, icon: '🧶', blurb: 'Hand-woven, 160 × 230 cm.' },
]

/**
 * The product with this id, or `undefined`.
 *
 * @example
 * findProduct('sofa-1').name // 'Linen sofa'
 */
export function findProduct(id) {
  return PRODUCTS.find((product) => product.id === id)
}

/**
 * A price for people.
 *
 * @example
 * formatPrice(12950) // '€129.50'
 */
export function formatPrice(cents) {
  return new Intl.NumberFormat('en-IE', { style: 'currency', currency: CURRENCY }).format(cents / 100)
}

/**
 * A price for events: `value` is a number in the currency's unit.
 *
 * @example
 * toValue(12950) // 129.5
 */
export function toValue(cents) {
  return cents / 100
}
