import ipaddr from 'ipaddr.js'
import type { Transaction } from 'kysely'
import type { AuthContext } from '../auth/scopes'
import type { Database } from '../db/schema'
import { scoreEmq } from '../emq/score-emq'
import type { RequestFacts } from './ingest-batch'
import type { PreparedEvent } from './prepare-event'

/**
 * Scores each new event's EMQ and appends all of them in one INSERT.
 * Identifiers are stored as type + hash + status, never raw.
 *
 * @example
 * const emqByIndex = await storeEvents(trx, auth, events, profileOf, facts)
 */
export async function storeEvents(
  trx: Transaction<Database>,
  auth: AuthContext,
  events: PreparedEvent[],
  profileOf: Map<number, string>,
  facts: RequestFacts,
): Promise<Map<number, number>> {
  const scores = new Map<number, number>()
  const rows = events.map((event) => {
    const { clientIp, userAgent } = endUserOf(auth, event, facts)
    const emq = scoreEmq({
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
    })
    scores.set(event.index, emq.score)
    for (const flag of emq.flags) if (flag === 'clock_skew') event.warnings.push(flag)
    return {
      tenant_id: auth.tenantId,
      event_time: event.eventTime,
      event_id: event.eventId,
      profile_id: profileOf.get(event.index)!,
      source_id: auth.source?.id ?? null,
      event_name: event.eventName,
      action_source: event.actionSource ?? null,
      received_at: facts.receivedAt,
      sent_at: event.sentAt ?? null,
      clock_corrected: event.clockCorrected,
      identifiers: JSON.stringify(
        event.identifiers.map((i) => ({ type: i.type, value: i.value, status: i.status, ...(i.role ? { role: true } : {}) })),
      ),
      user_data: JSON.stringify(event.userData),
      properties: JSON.stringify(event.properties),
      context: JSON.stringify({ ...event.context, ip: undefined, user_agent: userAgent }),
      consent: event.consent ? JSON.stringify(event.consent) : null,
      client_ip: clientIp ?? null,
      user_agent: userAgent ?? null,
      session_id: event.sessionId ?? null,
      emq: emq.score,
      emq_breakdown: JSON.stringify({ ...emq.breakdown, band: emq.band, automation: emq.automation, flags: emq.flags }),
      warnings: JSON.stringify(event.warnings),
    }
  })
  await trx.insertInto('events').values(rows).execute()
  return scores
}

/**
 * Whose IP and user agent an event carries. A browser's come from the
 * connection and headers, never from its body. A backend's connection says
 * nothing about the end user, so a server-trust caller (JWT or secret key)
 * may relay the end user's in `context.ip` and `context.user_agent` (as ad
 * platforms' server-side APIs allow) and otherwise has none.
 */
function endUserOf(auth: AuthContext, event: PreparedEvent, facts: RequestFacts) {
  if (auth.trust === 'browser') return { clientIp: facts.clientIp, userAgent: facts.userAgent }
  const ip = event.context.ip
  // An IPv6 zone (`fe80::1%eth0`) parses, but PostgreSQL's inet refuses it.
  const usable = typeof ip === 'string' && ipaddr.isValid(ip) && !ip.includes('%')
  return {
    clientIp: usable ? ipaddr.parse(ip).toString() : undefined,
    userAgent: event.context.user_agent,
  }
}
