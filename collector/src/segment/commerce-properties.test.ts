import { describe, expect, test } from 'vitest'
import { commerceProperties } from './commerce-properties'

describe('commerceProperties', () => {
  test('an order: revenue is the value, products give ids, contents and the item count; Segment fields stay', () => {
    const order = {
      order_id: 'o-1',
      revenue: 25,
      total: 30,
      currency: 'EUR',
      products: [
        { product_id: 'p1', sku: 's1', price: 10, quantity: 2, name: 'Cup' },
        { sku: 's2', price: 5 },
        { name: 'no id' },
        'junk',
      ],
    }
    expect(commerceProperties('Purchase', order)).toEqual({
      ...order,
      value: 25,
      content_ids: ['p1', 's2'],
      contents: [
        { id: 'p1', quantity: 2, item_price: 10 },
        { id: 's2', quantity: 1, item_price: 5 },
      ],
      num_items: 4,
    })
  })

  test('the value is value, else revenue, else total; a numeric string counts; USD when no currency', () => {
    expect(commerceProperties('Purchase', { value: '12.5', revenue: 3 })).toMatchObject({ value: 12.5, currency: 'USD' })
    expect(commerceProperties('Purchase', { total: 7 })).toMatchObject({ value: 7, currency: 'USD' })
    expect(commerceProperties('Purchase', { order_id: 'o' })).toEqual({ order_id: 'o' })
  })

  test('one product: its price times its quantity, and its own id', () => {
    expect(commerceProperties('AddToCart', { product_id: 'p1', price: 9.99, quantity: 3, currency: 'GBP' })).toEqual({
      product_id: 'p1',
      price: 9.99,
      quantity: 3,
      currency: 'GBP',
      value: 29.97,
      content_ids: ['p1'],
      contents: [{ id: 'p1', quantity: 3, item_price: 9.99 }],
      num_items: 3,
    })
  })

  test('a search keeps its query and names it search_string', () => {
    expect(commerceProperties('Search', { query: 'linen sofa' })).toEqual({ query: 'linen sofa', search_string: 'linen sofa' })
  })

  test("what the caller sent under a standard name wins", () => {
    expect(commerceProperties('Purchase', { revenue: 5, content_ids: ['mine'], products: [{ product_id: 'p' }] })).toMatchObject({
      content_ids: ['mine'],
      contents: [{ id: 'p', quantity: 1 }],
    })
  })

  test('custom events keep their properties untouched', () => {
    const properties = { revenue: 5, products: [{ product_id: 'p' }] }
    expect(commerceProperties('CartViewed', properties)).toBe(properties)
  })
})
