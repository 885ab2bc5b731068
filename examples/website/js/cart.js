import { CURRENCY, findProduct, toValue } from './catalogue.js'

const KEY = 'shop_cart'

/**
 * The cart's lines, each a product and a quantity.
 *
 * @example
 * cartLines() // [{ product: { id: 'sofa-1', … }, quantity: 1 }]
 */
export function cartLines() {
  const saved = JSON.parse(localStorage.getItem(KEY) || '{}')
  return Object.entries(saved)
    .map(([id, quantity]) => ({ product: findProduct(id), quantity }))
    .filter((line) => line.product)
}

/**
 * Adds one of a product.
 *
 * @example
 * addToCart('sofa-1')
 */
export function addToCart(productId) {
  const saved = JSON.parse(localStorage.getItem(KEY) || '{}')
  saved[productId] = (saved[productId] || 0) + 1
  localStorage.setItem(KEY, JSON.stringify(saved))
}

/**
 * Empties the cart (after an order).
 *
 * @example
 * clearCart()
 */
export function clearCart() {
  localStorage.removeItem(KEY)
}

/**
 * The cart's total in cents.
 *
 * @example
 * cartTotalCents() // 12950
 */
export function cartTotalCents(lines = cartLines()) {
  return lines.reduce((sum, line) => sum + line.product.priceCents * line.quantity, 0)
}

/**
 * The cart as event properties — what EMQ rewards on checkout events:
 * `value`, `currency`, `content_ids` and `num_items`.
 *
 * @example
 * stratum('track', 'InitiateCheckout', cartProperties())
 */
export function cartProperties(lines = cartLines()) {
  return {
    value: toValue(cartTotalCents(lines)),
    currency: CURRENCY,
    content_ids: lines.map((line) => line.product.id),
    num_items: lines.reduce((sum, line) => sum + line.quantity, 0),
  }
}
