import type { AuthContext } from '../auth/scopes'
import { scoreEmq } from '../emq/score-emq'
import type { EmqResult } from '../emq/types'
import { endUserOf } from './end-user'
import type { PreparedEvent } from './prepare-event'
import type { RequestFacts } from './request-facts'

/**
 * The EMQ step of the pipeline (collector/docs/emq.md): scores every event
 * of a batch as it will be stored, with the end user's IP and user agent
 * the trust boundary allows. Pure, and done before the append transaction
 * opens, so no lock is ever held while it runs.
 *
 * @example
 * const scores = scoreEvents(auth, prepared, facts) // Map { 0 => { score: 61.4, … } }
 */
export function scoreEvents(auth: AuthContext, events: readonly PreparedEvent[], facts: RequestFacts): Map<number, EmqResult> {
  const scores = new Map<number, EmqResult>()
  for (const event of events) {
    const { clientIp, userAgent } = endUserOf(auth, event, facts)
    scores.set(
      event.index,
      scoreEmq({
        eventName: event.eventName,
        eventId: event.clientEventId ? event.eventId : undefined,
        actionSource: event.actionSource,
        identifiers: event.identifiers.map((i) => ({ type: i.type, status: i.status, degraded: i.degraded === true })),
        userData: event.userData,
        properties: event.properties,
        context: {
          page: event.context.page,
          locale: event.context.locale,
          timezone: event.context.timezone,
          campaign: event.context.campaign,
          clickIds: event.context.click_ids,
        },
        eventTime: event.eventTime,
        receivedAt: facts.receivedAt,
        clientIp,
        userAgent,
      }),
    )
  }
  return scores
}
