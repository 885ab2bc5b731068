import type { DeliveryEvent } from './delivery-event'
import { LEASE_ENDING, postJson, type SendOptions, type SendOutcome, shortMessage } from './send-outcome'
import { signWebhook } from './webhook-signature'

/** Requests in flight at once to one webhook. */
const CONCURRENCY = 8

/**
 * The body of a webhook message: Standard Webhooks' `type`, `timestamp` and
 * `data`, the event as stored — identifiers and user data as their hashes,
 * never a raw value.
 *
 * @example
 * JSON.parse(webhookBody(event)).data.event_id
 */
export function webhookBody(event: DeliveryEvent): string {
  return JSON.stringify({
    type: 'event.delivered',
    timestamp: event.receivedAt.toISOString(),
    data: {
      event_id: event.eventId,
      event_name: event.eventName,
      event_time: event.eventTime.toISOString(),
      received_at: event.receivedAt.toISOString(),
      profile_id: event.profileId,
      source_id: event.sourceId,
      action_source: event.actionSource,
      emq: event.emq,
      identifiers: event.identifiers.map(({ type, value, status }) => ({ type, value, status })),
      user_data: event.userData,
      properties: event.properties,
      context: event.context,
      consent: event.consent,
      client_ip: event.clientIp,
      user_agent: event.userAgent,
    },
  })
}

/**
 * Sends each event as one signed message (`webhook-id` = the event id), a few
 * at a time: a 2xx delivers; 408, 409, 425, 429, 5xx and network failures
 * retry (after `Retry-After`); any other answer is a dead letter. Events not
 * started by `lastStart` wait for the next claim.
 *
 * @example
 * const outcomes = await sendWebhook(fetch, { url, secret }, events, { timeoutMs: 20_000, now, lastStart })
 */
export async function sendWebhook(
  fetchImpl: typeof fetch,
  config: { url: string; secret: string },
  events: DeliveryEvent[],
  options: SendOptions,
): Promise<Map<string, SendOutcome>> {
  const outcomes = new Map<string, SendOutcome>()
  const sendOne = async (event: DeliveryEvent): Promise<SendOutcome> => {
    if (Date.now() > options.lastStart.getTime()) return LEASE_ENDING
    const body = webhookBody(event)
    const headers = signWebhook(config.secret, event.eventId, new Date(), body)
    const answer = await postJson(fetchImpl, config.url, body, headers, options.timeoutMs, options.now)
    if ('kind' in answer) return answer
    if (answer.status >= 200 && answer.status < 300) return { kind: 'delivered' }
    const message = shortMessage(`HTTP ${answer.status}: ${answer.text}`)
    if ([408, 409, 425, 429].includes(answer.status) || answer.status >= 500) return { kind: 'retry', message, retryAfterMs: answer.retryAfterMs }
    return { kind: 'rejected', message }
  }
  const queue = [...events]
  const lane = async () => {
    for (let event = queue.shift(); event; event = queue.shift()) outcomes.set(event.eventId, await sendOne(event))
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, events.length) }, lane))
  return outcomes
}
