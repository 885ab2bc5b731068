import { scoreEmq } from '../emq/score-emq'
import type { EmqResult } from '../emq/types'
import type { EndUser } from './end-user'
import type { PreparedEvent } from './prepare-event'

/**
 * The EMQ step of the pipeline (collector/docs/emq.md): scores an event as
 * it will be stored, with the end user's IP and user agent the trust
 * boundary allows. Pure, and done before the append transaction opens, so
 * no lock is ever held while it runs.
 *
 * @example
 * const emq = scoreEvent(event, endUserOf(auth, event, facts), facts.receivedAt) // { score: 61.4, … }
 */
export function scoreEvent(event: PreparedEvent, endUser: EndUser, receivedAt: Date): EmqResult {
  return scoreEmq({
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
    receivedAt,
    clientIp: endUser.clientIp,
    userAgent: endUser.userAgent,
  })
}
