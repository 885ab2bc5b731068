import { cartTotalCents } from './cart.js'
import { formatPrice } from './catalogue.js'
import { h } from './dom.js'

/**
 * The cart's lines and total, as shown on the cart and checkout pages.
 *
 * @example
 * view.replaceChildren(cartTable(cartLines()))
 */
export function cartTable(lines) {
  return h(
    'div',
    { class: 'lines' },
    h(
      'ul',
      {},
      ...lines.map((line) =>
        h('li', {}, `${line.quantity} × ${line.product.name}`, h('span', {}, formatPrice(line.product.priceCents * line.quantity))),
      ),
    ),
    h('p', { class: 'total' }, 'Total ', h('strong', {}, formatPrice(cartTotalCents(lines)))),
  )
}

/**
 * What an empty cart page shows.
 *
 * @example
 * view.replaceChildren(...emptyCart())
 */
export function emptyCart() {
  return [h('p', {}, 'Your cart is empty.'), h('a', { href: '/' }, 'Browse the shop')]
}
