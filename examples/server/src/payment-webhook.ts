import { createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import { confirmPurchase, type PaidOrder } from './confirm-purchase'
import type { StratumApi } from './stratum-api'

const MAX_BODY_BYTES = 64 * 1024

/**
 * The HMAC signature header value a payment provider sends with a webhook,
 * for `secret` and the raw body (`X-Payment-Signature: sha256=<hex>`).
 *
 * @example
 * fetch(url, { method: 'POST', body, headers: { 'x-payment-signature': signPayload(secret, body) } })
 */
export function signPayload(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

/**
 * `POST /webhooks/payment`: a payment provider's `payment.succeeded`
 * notification, signed with the shared `secret`, confirmed to Stratum as a
 * server-side Purchase, its event id derived from the order id with
 * `orderSecret`. Other event types are acknowledged and ignored. When
 * Stratum cannot be reached it answers 502 so that the provider retries; the
 * retry is harmless (the Purchase's event id is the order's).
 *
 * @example
 * createServer(paymentWebhook({ api: stratumApiFromEnv(process.env), secret: process.env.WEBHOOK_SECRET, orderSecret })).listen(4242)
 */
export function paymentWebhook(options: {
  api: StratumApi
  secret: string
  orderSecret: string
  log?: (line: string) => void
}): RequestListener {
  const log = options.log ?? console.log
  return async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/webhooks/payment') return reply(res, 404, { error: 'not found' })
    const body = await readBody(req)
    if (body === undefined) return reply(res, 413, { error: 'body too large' })
    if (!hasValidSignature(options.secret, body, req.headers['x-payment-signature'])) {
      return reply(res, 401, { error: 'bad signature' })
    }
    let order: PaidOrder | null
    try {
      order = paidOrderOf(JSON.parse(body))
    } catch (error) {
      return reply(res, 400, { error: (error as Error).message })
    }
    if (!order) return reply(res, 200, { ignored: true })
    try {
      const confirmed = await confirmPurchase(options.api, order, options.orderSecret)
      log(`order ${order.orderId}: Purchase ${confirmed.status}, EMQ ${confirmed.emq ?? '-'}`)
      return reply(res, 200, { confirmed })
    } catch (error) {
      log(`order ${order.orderId}: not confirmed: ${(error as Error).message}`)
      return reply(res, 502, { error: 'could not confirm the purchase with Stratum' })
    }
  }
}

/**
 * The order of a `payment.succeeded` payload; `null` for other event types.
 * Throws on a malformed payload.
 */
function paidOrderOf(payload: unknown): PaidOrder | null {
  const event = payload as {
    type?: unknown
    order?: { id?: unknown; amount?: unknown; currency?: unknown; items?: { product_id?: unknown; quantity?: unknown }[] }
    customer?: { id?: unknown; email?: unknown; phone?: unknown; first_name?: unknown; last_name?: unknown }
  }
  if (event?.type !== 'payment.succeeded') return null
  const { order, customer } = event
  const items = Array.isArray(order?.items) ? order.items : []
  if (
    typeof order?.id !== 'string' ||
    typeof order.amount !== 'number' ||
    typeof order.currency !== 'string' ||
    typeof customer?.id !== 'string' ||
    typeof customer.email !== 'string' ||
    !items.every((item) => typeof item?.product_id === 'string' && Number.isInteger(item.quantity))
  ) {
    throw new Error('expected {type, order: {id, amount, currency, items: [{product_id, quantity}]}, customer: {id, email}}')
  }
  const optional = (value: unknown) => (typeof value === 'string' && value ? value : undefined)
  return {
    orderId: order.id,
    value: order.amount,
    currency: order.currency,
    contentIds: items.map((item) => item.product_id as string),
    numItems: items.reduce((sum, item) => sum + (item.quantity as number), 0),
    customer: {
      id: customer.id,
      email: customer.email,
      phone: optional(customer.phone),
      firstName: optional(customer.first_name),
      lastName: optional(customer.last_name),
    },
  }
}

function hasValidSignature(secret: string, body: string, header: string | string[] | undefined): boolean {
  const expected = Buffer.from(signPayload(secret, body))
  const given = Buffer.from(typeof header === 'string' ? header : '')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** The request body as text; `undefined` when it is over the limit. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) return undefined
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function reply(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}
