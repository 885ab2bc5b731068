import { createHmac } from 'node:crypto'

/**
 * Standard Webhooks headers for one message: `webhook-id` (the same on every
 * retry, so receivers deduplicate), `webhook-timestamp` (unix seconds, so
 * they refuse replays) and `webhook-signature`: `v1,` and the base64
 * HMAC-SHA256, keyed with the base64 part of the `whsec_` secret, of
 * `{id}.{timestamp}.{body}`. Receivers verify it with the convention's
 * libraries (`standardwebhooks` on npm).
 *
 * @example
 * const headers = signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_1', new Date(), '{"a":1}')
 * headers['webhook-signature'] // 'v1,…'
 */
export function signWebhook(secret: string, id: string, at: Date, body: string): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000))
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` }
}
