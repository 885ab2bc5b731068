import { createHmac } from 'node:crypto'

/**
 * The `event_id` of an order's Purchase: a name-based UUID (version 8) of the
 * order id, keyed with the shop backend's secret (HMAC-SHA256). The same order
 * always gives the same id, so the backend's Purchase and the one the page
 * sends with it are stored once (`collector/docs/trust-boundary.md`), and a
 * webhook delivered twice is a duplicate — yet nobody without the secret can
 * compute the id of someone else's order. The backend hands the id to the
 * page with the order.
 *
 * @example
 * orderEventId(process.env.ORDER_EVENT_SECRET, 'A-1001') // '5c0e…-…-8…'
 */
export function orderEventId(secret: string, orderId: string): string {
  const hex = createHmac('sha256', secret).update(`Purchase:${orderId}`).digest('hex')
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/**
 * The shop backend's secret for `orderEventId`, from `ORDER_EVENT_SECRET`.
 *
 * @example
 * const orderSecret = orderSecretFromEnv(process.env)
 */
export function orderSecretFromEnv(env: Record<string, string | undefined>): string {
  const secret = env.ORDER_EVENT_SECRET
  if (!secret) {
    throw new Error(
      'Set ORDER_EVENT_SECRET: the secret Purchase event ids are derived with (the demo prints it as "Shop secret").',
    )
  }
  return secret
}
