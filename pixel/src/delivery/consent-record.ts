import type { PersistedValue } from '../visitor/persisted-value'
import { retryDelay } from './backoff'
import { isRetryable, type PostResult } from './transport'

/**
 * Records consent decisions with the collector (`POST /consent`). The pending
 * body is persisted until the collector acknowledges it, so a decision made
 * just before leaving, offline or during an outage is recorded later —
 * consent records are evidence and must not be lost.
 *
 * @example
 * const recorder = createConsentRecorder(url, createPersistedValue('stratum_consent_sync', persistence, 0), postText)
 * recorder.record({ identifiers, purposes: { analytics: true, marketing: false } })
 */
export function createConsentRecorder(
  url: string,
  pending: PersistedValue,
  post: (url: string, body: string, keepalive: boolean) => Promise<PostResult>,
) {
  let attempt = 0
  let busy = false
  // One request at a time; a decision made meanwhile is picked up when it ends.
  const send = (): void => {
    const body = pending.get()
    if (!body || busy) return
    busy = true
    post(url, body, true).then(({ status, retryAfterMs }) => {
      busy = false
      if (isRetryable(status)) return void setTimeout(send, retryDelay(++attempt, retryAfterMs))
      attempt = 0
      if (pending.get() === body) pending.remove()
      else send()
    })
  }
  return {
    record(body: object) {
      pending.set(JSON.stringify(body))
      send()
    },
    /** Sends a decision left unrecorded by a previous page. */
    resend: send,
  }
}
