import { cartLines, cartProperties } from '../cart.js'
import { cartTable, emptyCart } from '../cart-view.js'
import { h } from '../dom.js'
import { renderLayout } from '../layout.js'

renderLayout()
const view = document.getElementById('cart')
const lines = cartLines()

if (lines.length === 0) {
  view.replaceChildren(...emptyCart())
} else {
  const checkOut = () => {
    stratum('track', 'InitiateCheckout', cartProperties(lines))
    location.href = '/checkout.html'
  }
  view.replaceChildren(cartTable(lines), h('button', { type: 'button', onclick: checkOut }, 'Check out'))
}
