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
 * Paying: the shop's backend places the order and names its Purchase event
 * (`POST /orders`, played by the demo server): the event id is derived from
 * the order id with the backend's secret, so nobody else can compute it. The
 * page records AddPaymentInfo, then the Purchase with that id. When the
 * payment provider confirms, the backend sends the same Purchase with its JWT
 * (examples/server): the collector keeps the backend's copy and the pair
 * counts once. Until then the page's Purchase is only *claimed*: it counts
 * apart from the revenue automation trusts (collector/docs/trust-boundary.md).
 */
async function pay(lines, account) {
  const placed = await fetch('/orders', { method: 'POST' }).then((response) => response.json())
  const order = { order_id: placed.order_id, ...cartProperties(lines) }
  stratum('track', 'AddPaymentInfo', order)
  stratum('track', 'Purchase', order, { eventId: placed.event_id })
  clearCart()
  renderHeader()
  view.replaceChildren(...confirmation(order, placed.event_id, formatPrice(cartTotalCents(lines)), account))
}

function confirmation(order, eventId, total, account) {
  const command = [
    `STRATUM_API=${STRATUM_CONFIG.endpoint}/api/v1/cdp STRATUM_TOKEN=$TOKEN ORDER_EVENT_SECRET=$SHOP_SECRET pnpm --filter server confirm --`,
    `--order ${order.order_id} --value ${order.value} --currency ${order.currency}`,
    ...order.content_ids.map((id) => `--product ${id}`),
    `--items ${order.num_items} --email ${account.email} --customer ${account.customerId}`,
  ].join(' \\\n  ')
  return [
    h('h2', {}, 'Thank you!'),
    h('p', {}, 'Order ', h('strong', { id: 'order-id' }, order.order_id), ` — ${total}.`),
    h('p', {}, 'Purchase event id ', h('code', { id: 'event-id' }, eventId), ': the page sent it, and your backend will send it too.'),
    h(
      'p',
      {},
      'In a real shop the payment provider now calls your backend, which confirms the purchase to Stratum. ',
      'Play the backend with the server example ($TOKEN is the Dev JWT and $SHOP_SECRET the Shop secret printed by pnpm start):',
    ),
    h('pre', {}, command),
  ]
}
