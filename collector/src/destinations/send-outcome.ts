import { parseRetryAfter } from './backoff'

/**
 * What became of one event sent to a destination:
 * `delivered` — acknowledged; `retry` — the destination or the network failed,
 * try again later (not before `retryAfterMs`); `rejected` — the destination
 * refused the event's data, a dead letter with its message.
 *
 * @example
 * const o: SendOutcome = { kind: 'retry', message: 'HTTP 503', retryAfterMs: 30_000 }
 */
export type SendOutcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; message: string; retryAfterMs?: number }
  | { kind: 'rejected'; message: string }

/**
 * How a send is bounded: each request's timeout, the clock of the claim, and
 * the last moment a request may start so that it ends within the claim's lease.
 *
 * @example
 * const options: SendOptions = { timeoutMs: 20_000, now, lastStart: new Date(now.getTime() + 40_000) }
 */
export interface SendOptions {
  timeoutMs: number
  now: Date
  lastStart: Date
}

/**
 * The outcome of an event not sent because the claim's lease is ending: it is
 * sent by the next claim, never by two collectors at once.
 *
 * @example
 * outcomes.set(id, LEASE_ENDING)
 */
export const LEASE_ENDING = { kind: 'retry', message: "not sent: the claim's lease was ending" } as const satisfies SendOutcome

/** A destination's answer cut to what a delivery records. */
const MAX_MESSAGE = 500

/**
 * POSTs a JSON body, bounded by `timeoutMs`; a network error or timeout is a
 * `retry`, any answer is returned with its body read (and cut) as text.
 *
 * @example
 * const answer = await postJson(fetch, url, body, {}, 20_000, new Date())
 * if ('kind' in answer) return answer // retry
 */
export async function postJson(
  fetchImpl: typeof fetch,
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  now: Date,
): Promise<{ status: number; text: string; retryAfterMs?: number } | Extract<SendOutcome, { kind: 'retry' }>> {
  try {
    const res = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    })
    const text = (await res.text()).slice(0, 4096)
    return { status: res.status, text, retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), now) }
  } catch (error) {
    return { kind: 'retry', message: `network: ${(error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (error as Error).message}`.slice(0, MAX_MESSAGE) }
  }
}

/**
 * A message for a delivery row, cut to a readable length.
 *
 * @example
 * shortMessage('HTTP 400: …') // at most 500 characters
 */
export const shortMessage = (message: string) => message.slice(0, MAX_MESSAGE)
