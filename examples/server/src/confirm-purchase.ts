import { hashUserData, normalizeIdentifier } from '@stratum/pixel/identity'
import { orderEventId } from './order-event-id'
import type { EventResult, StratumApi } from './stratum-api'

/** A paid order, as the shop's backend knows it once the payment provider confirmed it. */
export interface PaidOrder {
  orderId: string
  value: number
  currency: string
  contentIds: string[]
  numItems: number
  customer: {
    /** The shop's customer number: sent as `external_id`, the strongest identifier. */
    id: string
    email: string
    phone?: string
    firstName?: string
    lastName?: string
  }
}

/**
 * Confirms a paid order to Stratum as a server-side Purchase: the raw email
 * and phone are normalised and hashed here, by the module the pixel and the
 * collector use, so the hash matches the one the browser sent at login.
 * Junk or invalid ones (`jane@example.com`, `0000000`) are not sent — once
 * hashed, nobody could tell them from real ones — and are listed in the
 * result's `warnings`. The `event_id` is derived from the order id with the
 * backend's `orderSecret` (`orderEventId`), so a webhook delivered twice
 * (payment providers retry) stores one Purchase, and the copy the page sent
 * with the same id is replaced by this one (`warnings: ['browser_copy_replaced']`).
 *
 * @example
 * const result = await confirmPurchase(api, {
 *   orderId: 'A-1001', value: 129.5, currency: 'EUR', contentIds: ['sofa-1'], numItems: 1,
 *   customer: { id: 'crm-1001', email: 'jane.doe@gmail.com' },
 * }, process.env.ORDER_EVENT_SECRET)
 * result.status // 'accepted', or 'duplicate' when it was confirmed before
 */
export async function confirmPurchase(api: StratumApi, order: PaidOrder, orderSecret: string): Promise<EventResult> {
  const { customer } = order
  const normalized = [normalizeIdentifier('email', customer.email)]
  if (customer.phone) normalized.push(normalizeIdentifier('phone', customer.phone))
  const usable = normalized.filter((id) => id.status === 'valid')
  const { rejected, events } = await api.sendEvents([
    {
      event_id: orderEventId(orderSecret, order.orderId),
      event_name: 'Purchase',
      event_time: new Date().toISOString(),
      action_source: 'server',
      identifiers: [
        { type: 'external_id', value: customer.id },
        ...usable.map(({ type, value, role }) => ({ type, value, ...(role && { role }) })),
      ],
      user_data: hashUserData({ fn: customer.firstName, ln: customer.lastName }),
      properties: {
        value: order.value,
        currency: order.currency,
        order_id: order.orderId,
        content_ids: order.contentIds,
        num_items: order.numItems,
      },
    },
  ])
  if (rejected[0]) throw new Error(`the collector rejected the purchase: ${rejected[0].message}`)
  const skipped = normalized.filter((id) => id.status !== 'valid').map((id) => `${id.type} not sent: ${id.reason}`)
  const result = events[0]!
  const warnings = [...skipped, ...(result.warnings ?? [])]
  return { ...result, ...(warnings.length > 0 && { warnings }) }
}
