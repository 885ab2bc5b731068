import { formatPrice, PRODUCTS } from '../catalogue.js'
import { h } from '../dom.js'
import { renderLayout } from '../layout.js'

// The home page: its PageView is automatic (the pixel sends one per page load).
renderLayout()
document.getElementById('products').replaceChildren(
  ...PRODUCTS.map((product) =>
    h(
      'li',
      {},
      h(
        'a',
        { href: `/product.html?id=${product.id}` },
        h('span', { class: 'icon' }, product.icon),
        h('strong', {}, product.name),
        h('span', {}, formatPrice(product.priceCents)),
      ),
    ),
  ),
)
