import { isSha256Hex, sha256Hex } from '@stratum/pixel/identity'
import { isValidCurrency } from '../emq/score-data-completeness'
import type { DeliveryEvent } from './delivery-event'

/** Meta's `action_source` values (Conversions API, server event parameters). */
const META_ACTION_SOURCES = new Set(['website', 'app', 'email', 'phone_call', 'chat', 'physical_store', 'system_generated', 'business_messaging', 'other'])

/** Meta refuses a whole request holding an event older than this. */
const MAX_AGE_MS = 7 * 86_400_000

/** Soft PII keys of `user_data`, stored as SHA-256 of Meta's normalised form. */
const HASHED_USER_DATA = ['fn', 'ln', 'ct', 'st', 'zp', 'country', 'db', 'ge'] as const

/** One entry of a Conversions API request's `data`. */
export interface MetaServerEvent {
  event_name: string
  event_time: number
  event_id: string
  action_source: string
  event_source_url?: string
  user_data: Record<string, string | string[]>
  custom_data?: Record<string, unknown>
}

/**
 * Maps a stored event to a Conversions API server event, or says why it
 * cannot be sent (`collector/docs/trust-engine.md`, "Meta payload"):
 *
 * - `event_id` is the Stratum event id, so Meta deduplicates it with the
 *   pixel's copy; `event_time` is in unix seconds.
 * - `user_data` carries only hashes that are stored: `em`, `ph` (valid ones),
 *   `external_id` (hashed here unless it already is a hash), and the soft PII
 *   hashes; plus `client_ip_address`, `client_user_agent`, `fbc` and `fbp`,
 *   which Meta takes unhashed.
 * - `custom_data` keeps `value`, `currency`, `content_ids`, `contents`,
 *   `num_items` and `order_id` when well-formed, and drops what is not.
 *
 * Refused before sending, since Meta would refuse the whole batch or drop the
 * event: older than 7 days, a website event without its user agent or URL,
 * an app event (which needs `app_data` Stratum does not collect), and an event
 * without any customer information.
 *
 * @example
 * const mapped = toMetaServerEvent(event, new Date())
 * if ('reason' in mapped) deadLetter(mapped.reason)
 */
export function toMetaServerEvent(event: DeliveryEvent, now: Date): MetaServerEvent | { reason: string } {
  if (now.getTime() - event.eventTime.getTime() > MAX_AGE_MS) return { reason: 'event_time is more than 7 days old: Meta refuses it' }
  const actionSource = metaActionSource(event)
  if (actionSource === 'app') return { reason: 'app events need app_data (extinfo), which Stratum does not collect' }
  const page = event.context.page as { url?: unknown } | undefined
  const url = typeof page?.url === 'string' && page.url !== '' ? page.url : undefined
  const userData = metaUserData(event)
  if (actionSource === 'website' && (!userData.client_user_agent || !url)) {
    return { reason: 'a website event needs client_user_agent and event_source_url' }
  }
  if (Object.keys(userData).length === 0) return { reason: 'no customer information parameter to match on' }
  const customData = metaCustomData(event.properties)
  return {
    event_name: event.eventName,
    event_time: Math.floor(event.eventTime.getTime() / 1000),
    event_id: event.eventId,
    action_source: actionSource,
    ...(url ? { event_source_url: url } : {}),
    user_data: userData,
    ...(Object.keys(customData).length > 0 ? { custom_data: customData } : {}),
  }
}

/**
 * The event's own `action_source` where Meta knows it; `server` (a backend
 * without more to say) becomes `other`, `crm` becomes `system_generated`;
 * absent, a website source's events are `website`, a mobile source's `app`.
 */
function metaActionSource(event: DeliveryEvent): string {
  const own = event.actionSource
  if (own && META_ACTION_SOURCES.has(own)) return own
  if (own === 'crm') return 'system_generated'
  if (!own && event.sourceType === 'website') return 'website'
  if (!own && event.sourceType === 'mobile') return 'app'
  return 'other'
}

function metaUserData(event: DeliveryEvent): Record<string, string | string[]> {
  const valid = (type: string) => [...new Set(event.identifiers.filter((i) => i.type === type && i.status === 'valid').map((i) => i.value))]
  const data: Record<string, string | string[]> = {}
  const em = valid('email')
  const ph = valid('phone')
  const externalIds = valid('external_id').map((v) => (isSha256Hex(v) ? v.toLowerCase() : sha256Hex(v)))
  if (em.length > 0) data.em = em
  if (ph.length > 0) data.ph = ph
  if (externalIds.length > 0) data.external_id = externalIds
  for (const key of HASHED_USER_DATA) {
    const value = event.userData[key]
    // Only a hash leaves: a value that is not one is never sent.
    if (typeof value === 'string' && isSha256Hex(value)) data[key] = [value.toLowerCase()]
  }
  if (event.clientIp) data.client_ip_address = event.clientIp
  if (event.userAgent) data.client_user_agent = event.userAgent
  const clickIds = event.context.click_ids as { fbc?: unknown; fbp?: unknown } | undefined
  if (typeof clickIds?.fbc === 'string' && clickIds.fbc !== '') data.fbc = clickIds.fbc
  if (typeof clickIds?.fbp === 'string' && clickIds.fbp !== '') data.fbp = clickIds.fbp
  return data
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const isId = (v: unknown): v is string | number => (typeof v === 'string' && v !== '') || isFiniteNumber(v)

function metaCustomData(p: Record<string, unknown>): Record<string, unknown> {
  const data: Record<string, unknown> = {}
  if (isFiniteNumber(p.value)) data.value = p.value
  if (isValidCurrency(p.currency)) data.currency = (p.currency as string).toUpperCase()
  if (Array.isArray(p.content_ids) && p.content_ids.length > 0 && p.content_ids.every(isId)) data.content_ids = p.content_ids.map(String)
  if (Array.isArray(p.contents)) {
    const contents = p.contents.flatMap((c) => {
      const item = c as Record<string, unknown> | null
      if (!item || typeof item !== 'object' || !isId(item.id)) return []
      return [{
        id: String(item.id),
        ...(Number.isInteger(item.quantity) ? { quantity: item.quantity } : {}),
        ...(isFiniteNumber(item.item_price) ? { item_price: item.item_price } : {}),
      }]
    })
    if (contents.length > 0) data.contents = contents
  }
  if (Number.isInteger(p.num_items)) data.num_items = p.num_items
  if (isId(p.order_id)) data.order_id = String(p.order_id)
  return data
}
