import { isIP } from 'node:net'

/**
 * The Conversions API's request contract as Meta documents it (parameters of
 * the main body, server events, customer information and custom data), for
 * the fake Graph API to check every request against. Returns one message per
 * violation, empty when the request is valid.
 */
const ACTION_SOURCES = new Set(['website', 'app', 'email', 'phone_call', 'chat', 'physical_store', 'system_generated', 'business_messaging', 'other'])
/** Customer information Meta wants as SHA-256 (lowercase hex), always as arrays here. */
const HASHED = new Set(['em', 'ph', 'fn', 'ln', 'ct', 'st', 'zp', 'country', 'db', 'ge', 'external_id'])
const UNHASHED = new Set(['client_ip_address', 'client_user_agent', 'fbc', 'fbp'])
const CUSTOM = new Set(['value', 'currency', 'content_ids', 'contents', 'num_items', 'order_id'])
const EVENT_KEYS = new Set(['event_name', 'event_time', 'event_id', 'action_source', 'event_source_url', 'user_data', 'custom_data'])
const SHA256 = /^[a-f0-9]{64}$/

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Every violation of the contract in a request body.
 *
 * @example
 * metaCapiViolations({ data: [], access_token: 't' }, new Date()) // ['data must hold 1 to 1000 events']
 */
export function metaCapiViolations(body: unknown, now: Date): string[] {
  const problems: string[] = []
  if (!isObject(body)) return ['the body must be a JSON object']
  for (const key of Object.keys(body)) if (!['data', 'access_token', 'test_event_code'].includes(key)) problems.push(`unknown body parameter ${key}`)
  if (typeof body.access_token !== 'string' || body.access_token === '') problems.push('access_token is required')
  if (body.test_event_code !== undefined && typeof body.test_event_code !== 'string') problems.push('test_event_code must be a string')
  if (!Array.isArray(body.data) || body.data.length < 1 || body.data.length > 1000) return [...problems, 'data must hold 1 to 1000 events']
  body.data.forEach((event, i) => {
    problems.push(...eventViolations(event, now).map((p) => `data[${i}].${p}`))
  })
  return problems
}

function eventViolations(event: unknown, now: Date): string[] {
  if (!isObject(event)) return ['must be an object']
  const p: string[] = []
  for (const key of Object.keys(event)) if (!EVENT_KEYS.has(key)) p.push(`unknown parameter ${key}`)
  if (typeof event.event_name !== 'string' || event.event_name === '') p.push('event_name is required')
  const time = event.event_time
  if (!Number.isInteger(time)) p.push('event_time must be an integer of unix seconds')
  else if ((time as number) < now.getTime() / 1000 - 7 * 86_400) p.push('event_time is more than 7 days old')
  else if ((time as number) > now.getTime() / 1000 + 600) p.push('event_time is in the future')
  if (typeof event.event_id !== 'string' || event.event_id === '') p.push('event_id must be a string')
  if (typeof event.action_source !== 'string' || !ACTION_SOURCES.has(event.action_source)) p.push('action_source is required and must be a known value')
  if (event.event_source_url !== undefined && (typeof event.event_source_url !== 'string' || !URL.canParse(event.event_source_url))) {
    p.push('event_source_url must be a URL')
  }
  const user = event.user_data
  if (!isObject(user) || Object.keys(user).length === 0) return [...p, 'user_data must hold at least one customer information parameter']
  for (const [key, value] of Object.entries(user)) {
    if (HASHED.has(key)) {
      if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && SHA256.test(v))) {
        p.push(`user_data.${key} must be an array of lowercase SHA-256 hashes`)
      }
    } else if (!UNHASHED.has(key)) p.push(`unknown user_data parameter ${key}`)
    else if (typeof value !== 'string' || value === '') p.push(`user_data.${key} must be a string`)
  }
  if (user.client_ip_address !== undefined && !isIP(String(user.client_ip_address))) p.push('user_data.client_ip_address must be an IP address')
  if (user.fbc !== undefined && !/^fb\.\d\.\d+\..+$/.test(String(user.fbc))) p.push('user_data.fbc must be fb.<subdomain index>.<creation time>.<fbclid>')
  if (user.fbp !== undefined && !/^fb\.\d\.\d+\.\d+$/.test(String(user.fbp))) p.push('user_data.fbp must be fb.<subdomain index>.<creation time>.<random>')
  if (event.action_source === 'website' && (event.event_source_url === undefined || user.client_user_agent === undefined)) {
    p.push('a website event requires event_source_url and user_data.client_user_agent')
  }
  if (event.custom_data !== undefined) p.push(...customViolations(event.custom_data))
  return p
}

function customViolations(custom: unknown): string[] {
  if (!isObject(custom)) return ['custom_data must be an object']
  const p: string[] = []
  for (const key of Object.keys(custom)) if (!CUSTOM.has(key)) p.push(`unknown custom_data parameter ${key}`)
  if (custom.value !== undefined && !Number.isFinite(custom.value)) p.push('custom_data.value must be a number')
  if (custom.currency !== undefined && !/^[A-Za-z]{3}$/.test(String(custom.currency))) p.push('custom_data.currency must be an ISO 4217 code')
  if (custom.content_ids !== undefined && !(Array.isArray(custom.content_ids) && custom.content_ids.every((c) => typeof c === 'string'))) {
    p.push('custom_data.content_ids must be an array of strings')
  }
  if (custom.contents !== undefined) {
    const ok =
      Array.isArray(custom.contents) &&
      custom.contents.every(
        (c) =>
          isObject(c) &&
          typeof c.id === 'string' &&
          (c.quantity === undefined || Number.isInteger(c.quantity)) &&
          (c.item_price === undefined || Number.isFinite(c.item_price)),
      )
    if (!ok) p.push('custom_data.contents must be objects with a string id, an integer quantity and a numeric item_price')
  }
  if (custom.num_items !== undefined && !Number.isInteger(custom.num_items)) p.push('custom_data.num_items must be an integer')
  if (custom.order_id !== undefined && typeof custom.order_id !== 'string') p.push('custom_data.order_id must be a string')
  return p
}
