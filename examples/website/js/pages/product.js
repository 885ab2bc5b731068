import { addToCart } from '../cart.js'
import { CURRENCY, findProduct, formatPrice, toValue } from '../catalogue.js'
import { h } from '../dom.js'
import { renderLayout } from '../layout.js'

renderLayout()
const view = document.getElementById('product')
const product = findProduct(new URLSearchParams(location.search).get('id'))

if (!product) {
  view.replaceChildren(h('h1', {}, 'Product not found'), h('a', { href: '/' }, 'Back to the shop'))
} else {
  document.title = `${product.name} — Nordlys`
  // value, currency and content_ids are what EMQ's data completeness looks for on these events.
  const properties = {
    content_ids: [product.id],
    content_name: product.name,
    content_type: 'product',
    value: toValue(product.priceCents),
    currency: CURRENCY,
  }
  stratum('track', 'ViewContent', properties)
  const add = () => {
    addToCart(product.id)
    stratum('track', 'AddToCart', { ...properties, num_items: 1 })
    location.href = '/cart.html'
  }
  view.replaceChildren(
    h('span', { class: 'icon large' }, product.icon),
    h('h1', {}, product.name),
    h('p', {}, product.blurb),
    h('p', { class: 'price' }, formatPrice(product.priceCents)),
    h('button', { type: 'button', onclick: add }, 'Add to cart'),
  )
}
