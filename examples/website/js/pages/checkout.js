import { currentAccount } from '../account.js'
import { cartLines, cartProperties, cartTotalCents, clearCart } from '../cart.js'
import { cartTable, emptyCart } from '../cart-view.js'
import { formatPrice } from '../catalogue.js'
import { h } from '../dom.js'
import { renderHeader, renderLayout } from '../layout.js'

renderLayout()
const view = document.getElementById('checkout')
const lines = cartLines()
const account = currentAccount()

if (lines.length === 0) {
  view.replaceChildren(...emptyCart())
} else if (!account) {
  view.replaceChildren(
    h('p', {}, 'Log in to check out.'),
    h('a', { href: '/login.html?next=/checkout.html', class: 'button' }, 'Log in'),
  )
} else {
  view.replaceChildren(
    cartTable(lines),
    h('p', {}, `Order for ${account.email}`),
    h('button', { type: 'button', onclick: () => pay(lines, account) }, `Pay ${formatPrice(cartTotalCents(lines))}`),
  )
}

/**
 * The browser only knows that the visitor asked to pay: it records
 * AddPaymentInfo. The Purchase comes from the shop's backend once the
 * payment provider confirms the payment (examples/server) — counted once,
 * with the customer number, and not lost to an ad blocker or a closed tab.
 */
function pay(lines, account) {
  const order = { order_id: `A-${Date.now().toString(36).toUpperCase()}`, ...cartProperties(lines) }
  stratum('track', 'AddPaymentInfo', order)
  clearCart()
  renderHeader()
  view.replaceChildren(...confirmation(order, formatPrice(cartTotalCents(lines)), account))
}

function confirmation(order, total, account) {
  const command = [
    `STRATUM_API=${STRATUM_CONFIG.endpoint}/api/v1/cdp STRATUM_TOKEN=$TOKEN pnpm --filter server confirm --`,
    `--order ${order.order_id} --value ${order.value} --currency ${order.currency}`,
    ...order.content_ids.map((id) => `--product ${id}`),
    `--items ${order.num_items} --email ${account.email} --customer ${account.customerId}`,
  ].join(' \\\n  ')
  return [
    h('h2', {}, 'Thank you!'),
    h('p', {}, 'Order ', h('strong', { id: 'order-id' }, order.order_id), ` — ${total}.`),
    h(
      'p',
      {},
      'In a real shop the payment provider now calls your backend, which confirms the purchase to Stratum. ',
      'Play the backend with the server example ($TOKEN is the Dev JWT printed by pnpm start):',
    ),
    h('pre', {}, command),
  ]
}
