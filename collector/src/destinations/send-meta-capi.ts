import type { DeliveryEvent } from './delivery-event'
import type { MetaServerEvent } from './meta-capi-payload'
import { LEASE_ENDING, postJson, type SendOptions, type SendOutcome, shortMessage } from './send-outcome'

/** What a Meta destination's config holds once its token is opened. */
export interface MetaCapiConfig {
  pixel_id: string
  access_token: string
  api_version: string
  api_base_url: string
  test_event_code?: string
}

/** The Conversions API takes at most this many events per request. */
export const META_BATCH_LIMIT = 1000

/**
 * Graph API error codes that mean "later", not "bad data": throttling
 * (4, 17, 32, 613, 80004) and temporary failures (1, 2). Any error Meta flags
 * `is_transient` is retried too.
 */
const RETRY_CODES = new Set([1, 2, 4, 17, 32, 613, 80004])
/** Codes of a refused token or permission: the destination's problem, not the event's. */
const AUTH_CODES = new Set([10, 102, 190, 200])

interface GraphError {
  message?: string
  code?: number
  is_transient?: boolean
  error_user_title?: string
  error_user_msg?: string
}

/**
 * Sends mapped events to `/{api_version}/{pixel_id}/events` in one request
 * and tells each event's outcome (`collector/docs/trust-engine.md`): a 2xx
 * delivers all; 429, 5xx, throttling codes, transient errors, a refused
 * token and network failures retry all; any other 4xx is bad data — a lone
 * event is a dead letter with Meta's message, a batch is split in halves
 * until the bad events stand alone, so they never cost their neighbours. No
 * request starts after `lastStart`, so every request ends within the claim's
 * lease and no other collector can claim the same events meanwhile.
 *
 * @example
 * const outcomes = await sendMetaCapi(fetch, config, [[event, payload]], { timeoutMs: 20_000, now, lastStart })
 */
export async function sendMetaCapi(
  fetchImpl: typeof fetch,
  config: MetaCapiConfig,
  batch: Array<[DeliveryEvent, MetaServerEvent]>,
  options: SendOptions,
): Promise<Map<string, SendOutcome>> {
  const outcomes = new Map<string, SendOutcome>()
  const url = `${config.api_base_url.replace(/\/+$/, '')}/${config.api_version}/${config.pixel_id}/events`
  const send = async (part: Array<[DeliveryEvent, MetaServerEvent]>): Promise<void> => {
    const body = JSON.stringify({
      data: part.map(([, payload]) => payload),
      ...(config.test_event_code ? { test_event_code: config.test_event_code } : {}),
      access_token: config.access_token,
    })
    const all = (outcome: SendOutcome) => {
      for (const [event] of part) outcomes.set(event.eventId, outcome)
    }
    if (Date.now() > options.lastStart.getTime()) return all(LEASE_ENDING)
    const answer = await postJson(fetchImpl, url, body, {}, options.timeoutMs, options.now)
    if ('kind' in answer) return all(answer)
    if (answer.status >= 200 && answer.status < 300) return all({ kind: 'delivered' })
    const error = graphError(answer.text)
    const message = shortMessage(
      `HTTP ${answer.status}: ${[error.error_user_title, error.error_user_msg ?? error.message].filter(Boolean).join(': ') || answer.text}`,
    )
    const code = error.code ?? -1
    if (answer.status === 429 || answer.status >= 500 || error.is_transient || RETRY_CODES.has(code)) {
      return all({ kind: 'retry', message, retryAfterMs: answer.retryAfterMs })
    }
    if (answer.status === 401 || answer.status === 403 || AUTH_CODES.has(code) || answer.status < 400) {
      return all({ kind: 'retry', message })
    }
    if (part.length === 1) return all({ kind: 'rejected', message })
    const half = Math.ceil(part.length / 2)
    await send(part.slice(0, half))
    await send(part.slice(half))
  }
  for (let i = 0; i < batch.length; i += META_BATCH_LIMIT) await send(batch.slice(i, i + META_BATCH_LIMIT))
  return outcomes
}

function graphError(text: string): GraphError {
  try {
    const parsed = JSON.parse(text) as { error?: GraphError }
    return typeof parsed.error === 'object' && parsed.error !== null ? parsed.error : {}
  } catch {
    return {}
  }
}
