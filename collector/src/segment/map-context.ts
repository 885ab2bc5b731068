import { actionSourceOf, type ActionSource } from './action-source'
import { clickIdsOf } from './click-ids'
import { type Fields, isFields } from './fields'

/** A Segment `context`, as Stratum's event keeps it. */
export interface MappedContext {
  context: Fields
  consent: Record<string, boolean> | undefined
  actionSource: ActionSource
  /** Fields under a name Stratum's context gives its own meaning (`session_id`, `click_ids`, …): kept apart. */
  displaced: Fields
}

/** Segment's campaign names, and the UTM parameters they come from. */
const UTM: Readonly<Record<string, string>> = { name: 'utm_campaign', source: 'utm_source', medium: 'utm_medium', term: 'utm_term', content: 'utm_content' }

/** Context fields read by name below (`traits` by the caller); everything else is kept as sent. */
const READ = new Set(['page', 'ip', 'userAgent', 'locale', 'timezone', 'sessionId', 'campaign', 'traits'])

/** Names Stratum's context gives a meaning of its own: a Segment field under one of them is displaced. */
const STRATUM_NAMES = new Set(['user_agent', 'session_id', 'click_ids'])

/**
 * Maps a Segment `context`: `page` (completed from a page call's
 * properties), `ip`, `userAgent` → `user_agent`, `locale`, `timezone`,
 * `sessionId` → `session_id`, `campaign` → `utm_*`, click ids from the
 * page's query and the campaign, Segment's consent preferences → the event's
 * `consent`, and the `action_source`. Other fields (`library`, `app`,
 * `device`, `os`, …) are kept as sent. Whether the IP and user agent count
 * is ingest's decision: a browser's come from its connection
 * (`collector/docs/trust-boundary.md`).
 *
 * @example
 * mapContext({ userAgent: 'Mozilla/5.0 …', campaign: { source: 'news' } }, { eventTimeMs, channel: undefined, fallback: 'website' })
 * // { context: { user_agent: 'Mozilla/5.0 …', campaign: { utm_source: 'news' } }, actionSource: 'website', … }
 */
export function mapContext(
  segment: Fields,
  options: { page?: Fields; eventTimeMs: number; channel: unknown; fallback: ActionSource },
): MappedContext {
  const context: Fields = {}
  const displaced: Fields = {}
  for (const [name, value] of Object.entries(segment)) {
    if (READ.has(name)) continue
    if (STRATUM_NAMES.has(name)) displaced[name] = value
    else context[name] = value
  }
  const page = { ...options.page, ...(isFields(segment.page) ? segment.page : {}) }
  if (Object.keys(page).length > 0) context.page = page
  if (segment.ip !== undefined) context.ip = segment.ip
  if (segment.userAgent !== undefined) context.user_agent = segment.userAgent
  if (segment.locale !== undefined) context.locale = segment.locale
  if (segment.timezone !== undefined) context.timezone = segment.timezone
  const session = segment.sessionId
  if (typeof session === 'string' || (typeof session === 'number' && Number.isFinite(session))) context.session_id = String(session)
  else if (session !== undefined) displaced.sessionId = session
  const campaign = isFields(segment.campaign) ? utmOf(segment.campaign) : undefined
  if (campaign) context.campaign = campaign
  const clickIds = clickIdsOf([page.search, page.url], isFields(segment.campaign) ? segment.campaign : {}, options.eventTimeMs)
  if (clickIds) context.click_ids = clickIds
  const preferences = isFields(segment.consent) ? segment.consent.categoryPreferences : undefined
  const consent = isFields(preferences) ? booleansOf(preferences) : undefined
  return { context, consent, actionSource: actionSourceOf(options.channel, { ...segment, page: context.page }, options.fallback), displaced }
}

/** A campaign as UTM parameters: Segment's names renamed, other scalar values kept under their own name. */
function utmOf(campaign: Fields): Record<string, string> | undefined {
  const utm: Record<string, string> = {}
  for (const [name, value] of Object.entries(campaign)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') utm[UTM[name] ?? name] = String(value)
  }
  return Object.keys(utm).length > 0 ? utm : undefined
}

function booleansOf(preferences: Fields): Record<string, boolean> | undefined {
  const entries = Object.entries(preferences).filter(([name, value]) => typeof value === 'boolean' && name.length <= 64)
  return entries.length > 0 ? (Object.fromEntries(entries) as Record<string, boolean>) : undefined
}
