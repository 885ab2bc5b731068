import { createHash } from 'node:crypto'
import { hashUserData, normalizeIdentifier } from '@stratum/pixel/identity'
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
 * result's `warnings`. The `event_id` is derived from the order id, so a
 * webhook delivered twice (payment providers retry) stores one Purchase.
 *
 * @example
 * const result = await confirmPurchase(api, {
 *   orderId: 'A-1001', value: 129.5, currency: 'EUR', contentIds: ['sofa-1'], numItems: 1,
 *   customer: { id: 'crm-1001', email: 'jane.doe@gmail.com' },
 * })
 * result.status // 'accepted', or 'duplicate' when it was confirmed before
 */
export async function confirmPurchase(api: StratumApi, order: PaidOrder): Promise<EventResult> {
  const { customer } = order
  const normalized = [normalizeIdentifier('email', customer.email)]
  if (customer.phone) normalized.push(normalizeIdentifier('phone', customer.phone))
  const usable = normalized.filter((id) => id.status === 'valid')
  const { rejected, events } = await api.sendEvents([
    {
      event_id: orderEventId(order.orderId),
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

/** A name-based UUID (version 8) of the order: the same order always gives the same event id. */
function orderEventId(orderId: string): string {
  const hex = createHash('sha256').update(`purchase:${orderId}`).digest('hex')
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}
