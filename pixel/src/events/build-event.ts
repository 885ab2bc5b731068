import { version } from '../../package.json'
import type { IdentifiedUser } from '../identify/identified-user'
import type { ConsentDecision, Identifier, PageContext, WireEvent } from '../types'
import type { Attribution } from '../visitor/click-ids'

/**
 * Everything one event is made of, gathered by the pixel at call time.
 *
 * @example
 * buildEvent({ eventId: uuid(), name: 'Lead', properties: {}, page, anonymousId, user, sessionId, attribution: {} })
 */
export interface EventParts {
  eventId: string
  name: string
  properties: Record<string, unknown>
  page: PageContext
  anonymousId: string
  deviceId?: string | null
  user: IdentifiedUser
  sessionId: string
  attribution: Attribution
  /** `undefined` while consent is pending; stamped when the held event is released. */
  consent?: ConsentDecision
}

/** The environment part of the context, the same for every event of a page. */
const environment = () => ({
  user_agent: navigator.userAgent,
  locale: navigator.language,
  timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
})

/**
 * Assembles an event in the collector's wire format (`POST /events`, collector/docs/pipeline.md). The
 * anonymous id always travels; hashed identifiers from `identify()` and the
 * device id ride along when known.
 *
 * @example
 * buildEvent({ eventId: uuid(), name: 'AddToCart', properties: { value: 10 }, page: currentPageContext(), … })
 */
export function buildEvent(parts: EventParts): WireEvent {
  const identifiers: Identifier[] = [{ type: 'anonymous_id', value: parts.anonymousId }, ...parts.user.identifiers]
  if (parts.deviceId) identifiers.push({ type: 'device_id', value: parts.deviceId })
  const { url, referrer, title, ts } = parts.page
  return {
    event_id: parts.eventId,
    event_name: parts.name,
    event_time: new Date(ts).toISOString(),
    action_source: 'website',
    identifiers,
    ...(Object.keys(parts.user.user_data).length ? { user_data: parts.user.user_data } : {}),
    properties: parts.properties,
    context: {
      page: { url, referrer, title },
      ...environment(),
      session_id: parts.sessionId,
      ...parts.attribution,
      library: { name: '@stratum/pixel', version },
    },
    consent: parts.consent || { analytics: false, marketing: false },
  }
}
