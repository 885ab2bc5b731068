import { type Fields, isFields } from './fields'

/** Standard events about one product, whose value is its price times its quantity. */
const SINGLE_PRODUCT = new Set(['ViewContent', 'AddToCart', 'AddToWishlist'])

/** Standard events whose properties follow Segment's e-commerce spec. */
const COMMERCE = new Set([...SINGLE_PRODUCT, 'Purchase', 'InitiateCheckout', 'AddPaymentInfo', 'Search'])


/**
 * Adds the standard properties (`value`, `currency`, `content_ids`,
 * `contents`, `num_items`, `search_string`) to a spec event's Segment
 * properties, which stay as they were: nothing is renamed away, and a
 * standard property the caller sent wins. `value` is `value`, else
 * `revenue`, else `total`, else for one product `price × quantity`;
 * `currency` defaults to USD when a value was found, as Segment's spec
 * assumes; ids come from `product_id`, `sku` or `id`
 * (`collector/docs/segment.md`).
 *
 * @example
 * commerceProperties('Purchase', { order_id: 'o1', revenue: 25, products: [{ product_id: 'p1', price: 12.5, quantity: 2 }] })
 * // { order_id: 'o1', revenue: 25, products: […], value: 25, currency: 'USD', content_ids: ['p1'],
 * //   contents: [{ id: 'p1', quantity: 2, item_price: 12.5 }], num_items: 2 }
 */
export function commerceProperties(eventName: string, properties: Fields): Fields {
  if (!COMMERCE.has(eventName)) return properties
  const products = SINGLE_PRODUCT.has(eventName) ? [properties] : productsOf(properties.products)
  const standard: Fields = {}
  const value = amount(properties.value) ?? amount(properties.revenue) ?? amount(properties.total) ?? singleValue(eventName, properties)
  if (value !== undefined) {
    standard.value = value
    standard.currency = 'USD'
  }
  const contents = products.flatMap((product) => {
    const id = productId(product)
    if (id === undefined) return []
    const price = amount(product.price)
    return [{ id, quantity: quantityOf(product), ...(price !== undefined ? { item_price: price } : {}) }]
  })
  if (contents.length > 0) {
    standard.content_ids = contents.map((c) => c.id)
    standard.contents = contents
  }
  if (products.length > 0) standard.num_items = products.reduce((sum, product) => sum + quantityOf(product), 0)
  if (typeof properties.query === 'string') standard.search_string = properties.query
  // What the caller sent under a standard name wins; only a numeric string `value` becomes a number.
  for (const key of Object.keys(standard)) if (key !== 'value' && properties[key] !== undefined) delete standard[key]
  return { ...properties, ...standard }
}

/** A finite number, or a string holding one (`"19.99"`), as Segment's own parsers read amounts. */
function amount(raw: unknown): number | undefined {
  const value = typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : raw
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

function singleValue(eventName: string, product: Fields): number | undefined {
  const price = SINGLE_PRODUCT.has(eventName) ? amount(product.price) : undefined
  return price === undefined ? undefined : Math.round(price * quantityOf(product) * 1e6) / 1e6
}

function productsOf(raw: unknown): Fields[] {
  return Array.isArray(raw) ? raw.filter(isFields) : []
}

function productId(product: Fields): string | undefined {
  const id = product.product_id ?? product.sku ?? product.id
  return typeof id === 'string' && id !== '' ? id : typeof id === 'number' && Number.isFinite(id) ? String(id) : undefined
}

function quantityOf(product: Fields): number {
  const quantity = amount(product.quantity)
  return quantity !== undefined && quantity > 0 ? quantity : 1
}
