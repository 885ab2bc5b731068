import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, test } from 'vitest'
import { unstorableReason } from '../db/storable'
import { withTenant } from '../db/with-tenant'
import { useTestApp } from '../testing/use-test-app'

/**
 * The bad-input corpus: every route that takes a body, a query or a path
 * parameter, fed the inputs an attacker or a broken client sends. No case may
 * answer 5xx; each answers the status and error code listed, in the error
 * shape; a bad event in a batch is rejected alone and its good neighbours
 * are stored. Runs on PGlite and, with `DATABASE_URL`, on PostgreSQL.
 */

const API = '/api/v1/cdp'
const NUL = '\u0000'
const HIGH = '\ud83d' // the first half of 😀, cut from its second half
const LOW = '\ude00'
const deep = (levels: number, leaf = '1') => `${'{"a":'.repeat(levels)}${leaf}${'}'.repeat(levels)}`
const deepArray = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`
const now = () => new Date().toISOString()
const cursorOf = (text: string) => Buffer.from(text).toString('base64url')

const app = useTestApp()
let readOnly: string
let sourceKey: string
let profileId: string
let sourceId: string
let eventId: string

beforeAll(async () => {
  const { t, tenant, token } = app
  readOnly = await t.token(tenant, ['profiles:read'])
  const source = await t.call('POST', `${API}/sources`, { token, body: { name: 'web', source_type: 'website' } })
  sourceKey = source.body.source_key
  sourceId = source.body.id
  const seeded = await t.call('POST', `${API}/events`, { token, body: { events: [good()] } })
  profileId = seeded.body.events[0].profile_id
  eventId = seeded.body.events[0].event_id
})

/** An event's raw JSON text with `fields` (JSON too), for what `JSON.stringify` cannot write. */
const rawEvent = (fields: string) => `{"event_name":"PageView","event_time":"${now()}",${fields}}`
const deviceIds = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'device_id', value: `d${i}` }))

/** A valid event with a fresh id. */
function good(overrides: Record<string, unknown> = {}) {
  return {
    event_id: randomUUID(),
    event_name: 'PageView',
    event_time: now(),
    identifiers: [{ type: 'anonymous_id', value: `anon_${randomUUID()}` }],
    ...overrides,
  }
}

type Auth = 'jwt' | 'source_key' | 'read_only' | 'none'

interface SendOptions {
  body?: string
  contentType?: string | null
  auth?: Auth
  headers?: Record<string, string>
}

async function send(method: string, path: string, options: SendOptions = {}) {
  const headers: Record<string, string> = { ...options.headers }
  const auth = options.auth ?? 'jwt'
  if (auth === 'jwt') headers.authorization = `Bearer ${app.token}`
  if (auth === 'read_only') headers.authorization = `Bearer ${readOnly}`
  if (auth === 'source_key') headers['x-source-key'] = sourceKey
  if (options.body !== undefined && options.contentType !== null) headers['content-type'] = options.contentType ?? 'application/json'
  // A string body gets a text/plain type from `Request` itself: bytes have none.
  const payload = options.contentType === null && options.body !== undefined ? new TextEncoder().encode(options.body) : options.body
  const res = await app.t.app.request(path, { method, headers, body: payload })
  const text = await res.text()
  let body: any = text
  try {
    body = JSON.parse(text)
  } catch {}
  return { status: res.status, body, text }
}

async function storedIds(ids: string[]) {
  const rows = await withTenant(app.t.database.db, app.tenant, (trx) =>
    trx.selectFrom('events').select('event_id').where('event_id', 'in', ids).execute(),
  )
  return rows.map((r) => r.event_id).sort()
}

/**
 * A bad event between two good ones: `event` is an object or its raw JSON
 * text; `code` the rejection expected, or `null` when the odd input is fine.
 */
type BatchCase = [name: string, event: () => unknown, code: string | null, auth?: Auth]

const batchCases: BatchCase[] = [
  ['NUL in a property value', () => good({ properties: { title: `a${NUL}b` } }), 'invalid_string'],
  ['NUL in a property key', () => good({ properties: { [`k${NUL}`]: 1 } }), 'invalid_string'],
  ['NUL in a nested array', () => good({ properties: { list: [['ok', NUL]] } }), 'invalid_string'],
  ['lone high surrogate in a property', () => good({ properties: { title: `Sale ${HIGH}` } }), 'invalid_string'],
  ['lone low surrogate in a property', () => good({ properties: { title: `${LOW}!` } }), 'invalid_string'],
  ['lone surrogate in a property key', () => good({ properties: { [`k${HIGH}`]: 1 } }), 'invalid_string'],
  ['a whole emoji is fine', () => good({ properties: { title: 'Sale 😀' } }), null],
  ['cut emoji in context.page.title', () => good({ context: { page: { title: `Shop ${HIGH}` } } }), 'invalid_string'],
  ['NUL in context.page.url', () => good({ context: { page: { url: `https://x.io/${NUL}` } } }), 'invalid_string'],
  ['NUL in an extra context field', () => good({ context: { device: { model: NUL } } }), 'invalid_string'],
  ['NUL in context.session_id', () => good({ context: { session_id: `s${NUL}` } }), 'invalid_string'],
  ['NUL in an anonymous_id', () => good({ identifiers: [{ type: 'anonymous_id', value: `a${NUL}` }] }), 'invalid_string'],
  ['lone surrogate in an external_id', () => good({ identifiers: [{ type: 'external_id', value: `u${HIGH}` }] }), 'invalid_string'],
  ['NUL in a raw email', () => good({ identifiers: [{ type: 'email', value: `jane${NUL}@x.io` }] }), 'invalid_string'],
  ['NUL in user_data', () => good({ user_data: { fn: `jane${NUL}` } }), 'invalid_string'],
  ['NUL in a consent purpose', () => good({ consent: { [`analytics${NUL}`]: true } }), 'invalid_string'],
  ['NUL in the event name', () => good({ event_name: `Page${NUL}View` }), 'invalid_string'],
  ['lone surrogate from the pixel', () => good({ properties: { q: HIGH } }), 'invalid_string', 'source_key'],
  ['5,000 levels of properties', () => rawEvent(`"properties":${deep(5000)}`), 'too_deep'],
  ['5,000 levels of context', () => rawEvent(`"context":${deep(5000)}`), 'too_deep'],
  ['100,000 nested arrays', () => rawEvent(`"properties":{"a":${deepArray(100_000)}}`), 'too_deep'],
  ['5,000 levels as the event itself', () => deepArray(5000), 'too_deep'],
  ['event_time in year 0000', () => good({ event_time: '0000-01-01T00:00:00Z' }), 'invalid_event'],
  ['event_time in year 9999', () => good({ event_time: '9999-12-31T23:59:59Z' }), 'invalid_event'],
  ['event_time in year +275760', () => good({ event_time: '+275760-09-13T00:00:00Z' }), 'invalid_event'],
  ['event_time as a number', () => good({ event_time: Date.now() }), 'invalid_event'],
  ['event_time on 30 February', () => good({ event_time: '2026-02-30T10:00:00Z' }), 'invalid_event'],
  ['event_id of 36 dashes', () => good({ event_id: '-'.repeat(36) }), 'invalid_event'],
  ['a number too large for a double', () => rawEvent(`"properties":{"n":1e400}`), null],
  ['a 40-digit integer', () => rawEvent(`"properties":{"n":1234567890123456789012345678901234567890}`), null],
  ['51 identifiers', () => good({ identifiers: deviceIds(51) }), 'too_many_identifiers'],
  ['"__proto__" in properties', () => rawEvent(`"properties":{"__proto__":{"admin":true}}`), 'forbidden_key'],
  ['"constructor" in context', () => good({ context: { constructor: { prototype: 1 } } }), 'forbidden_key'],
  ['a 129-character key', () => good({ properties: { ['k'.repeat(129)]: 1 } }), 'key_too_long'],
  ['a 40 KB string', () => good({ properties: { pad: 'x'.repeat(40 * 1024) } }), 'event_too_large'],
  ['an event that is a string', () => 'PageView', 'invalid_event'],
  ['an event that is null', () => null, 'invalid_event'],
  ['properties as an array', () => good({ properties: [1, 2] }), 'invalid_event'],
  ['identifiers as a string', () => good({ identifiers: 'jane@x.io' }), 'invalid_event'],
  ['an identifier value as a number', () => good({ identifiers: [{ type: 'device_id', value: 42 }] }), 'invalid_event'],
  ['an unknown event field', () => good({ propeties: {} }), 'invalid_event'],
  // ipaddr.js takes an IPv6 zone, PostgreSQL's inet does not: the address is dropped as unusable.
  ['an IPv6 zone in context.ip', () => good({ context: { ip: 'fe80::1%eth0' } }), null],
  ['a 600-character identifier', () => good({ identifiers: [{ type: 'device_id', value: 'd'.repeat(600) }] }), 'invalid_event'],
]

describe('POST /events: a bad event is rejected alone', () => {
  test.each(batchCases)('%s', async (_name, make, code, auth = 'jwt') => {
    const [first, last] = [good(), good()]
    const bad = make()
    const raw = typeof bad === 'string' && /^[[{]/.test(bad) ? bad : JSON.stringify(bad)
    const res = await send('POST', `${API}/events`, { body: `{"events":[${JSON.stringify(first)},${raw},${JSON.stringify(last)}]}`, auth })
    expect(res.status).toBe(200)
    expect(res.body.rejected).toEqual(code === null ? [] : [{ index: 1, code, message: expect.any(String) }])
    expect(res.body.accepted).toBe(code === null ? 3 : 2)
    expect(await storedIds([first.event_id, last.event_id])).toEqual([first.event_id, last.event_id].sort())
    // A rejection names where the problem is, never the value.
    if (code === 'invalid_string') expect(unstorableReason(res.body.rejected[0].message)).toBeNull()
  })
})

/** A request, and the status and error code it must answer (`code: null` for a success or an auth error). */
interface RouteCase {
  name: string
  method: string
  path: () => string
  body?: string
  status: number
  code: string | null
  contentType?: string | null
  auth?: Auth
  headers?: Record<string, string>
}

type Extra = Pick<RouteCase, 'contentType' | 'auth' | 'headers'>
const post = (route: string, name: string, body: string, status: number, code: string | null, extra: Extra = {}): RouteCase => ({
  name: `POST ${route}: ${name}`,
  method: 'POST',
  path: () => `${API}${route}`,
  body,
  status,
  code,
  ...extra,
})
const get = (name: string, path: () => string, status: number, code: string | null, extra: Extra = {}): RouteCase => ({
  name: `GET ${name}`,
  method: 'GET',
  path,
  status,
  code,
  ...extra,
})

/** `POST /sources/{id}/rotate-key`, which takes only a path parameter. */
const rotate = (name: string, id: () => string, status: number, code: string | null, extra: Extra = {}): RouteCase => ({
  name: `POST /sources/{id}/rotate-key: ${name}`,
  method: 'POST',
  path: () => `${API}/sources/${id()}/rotate-key`,
  status,
  code,
  ...extra,
})
/** `PATCH /sources/{id}` of the corpus's source (or of `id`). */
const patchSource = (name: string, body: string, status: number, code: string | null, extra: Extra & { id?: () => string } = {}): RouteCase => ({
  name: `PATCH /sources/{id}: ${name}`,
  method: 'PATCH',
  path: () => `${API}/sources/${extra.id?.() ?? sourceId}`,
  body,
  status,
  code,
  ...extra,
})
const json = (value: unknown) => JSON.stringify(value)
const batchOf = (envelope: Record<string, unknown>) => json({ events: [good()], ...envelope })
const consentOf = (fields: Record<string, unknown>) =>
  json({ identifiers: [{ type: 'anonymous_id', value: 'a1' }], purposes: { analytics: true }, ...fields })
const rawConsent = (purposes: string) => `{"identifiers":[{"type":"anonymous_id","value":"a"}],"purposes":${purposes}}`
const sourceOf = (fields: Record<string, unknown>) => json({ name: 'web', source_type: 'website', ...fields })
const destinationOf = (fields: Record<string, unknown>) =>
  json({ name: 'meta', type: 'meta_capi', config: { pixel_id: '1', access_token: 't' }, ...fields })
const rawDestination = (field: string) => `{"name":"m","type":"meta_capi","config":{"pixel_id":"1","access_token":"t"},${field}}`
const erasureOf = (type: string, value: unknown) => json({ identifier_type: type, identifier_value: value })
const lookup = (query: string) => () => `${API}/profiles?${query}`
const journey = (query: string) => () => `${API}/profiles/${profileId}/events?${query}`
const cursorAt = (time: string, id: string = randomUUID()) => journey(`cursor=${cursorOf(`${time}|${id}`)}`)
const emq = (query: string) => () => `${API}/emq?${query}`
const live = (query: string) => () => `${API}/events/stream?${query}`
const series = (query: string) => () => `${API}/emq/series?${query}`
const roi = (query: string) => () => `${API}/roi?ad_spend=100&conversions=10&average_order_value=50&target_emq=80&${query}`
const dashes = '-'.repeat(36)
const bad = 'invalid_request'
const badEnvelope = 'invalid_envelope'
const notFound = 'profile_not_found'

const routeCases: RouteCase[] = [
  // POST /events: the envelope and the body
  post('/events', 'empty body', '', 400, 'invalid_json'),
  post('/events', 'body "null"', 'null', 400, badEnvelope),
  post('/events', 'body "[]"', '[]', 400, badEnvelope),
  post('/events', 'body a string', '"events"', 400, badEnvelope),
  post('/events', 'no events', json({ events: [] }), 400, badEnvelope),
  post('/events', 'events an object', json({ events: { 0: good() } }), 400, badEnvelope),
  post('/events', '501 events', json({ events: Array.from({ length: 501 }, () => ({})) }), 400, badEnvelope),
  post('/events', 'sent_at in year 0000', batchOf({ sent_at: '0000-01-01T00:00:00Z' }), 400, badEnvelope),
  // The clock correction would bring this event to now, and store the absurd sent_at beside it.
  post('/events', 'sent_at and event_time in year 0000',
    json({ sent_at: '0000-01-01T00:00:10Z', events: [good({ event_time: '0000-01-01T00:00:00Z' })] }), 400, badEnvelope),
  post('/events', 'sent_at in year 9999', batchOf({ sent_at: '9999-12-31T23:59:59Z' }), 400, badEnvelope),
  post('/events', 'sent_at in year 1969', batchOf({ sent_at: '1969-12-31T23:59:59Z' }), 400, badEnvelope),
  post('/events', 'sent_at with a NUL', batchOf({ sent_at: `2026-01-01T00:00:00Z${NUL}` }), 400, badEnvelope),
  post('/events', 'sent_at 5,000 levels deep', `{"sent_at":${deep(5000, '"x"')},"events":[${json(good())}]}`, 400, badEnvelope),
  post('/events', 'an unknown key 5,000 levels deep', `{"x":${deep(5000)},"events":[${json(good())}]}`, 400, badEnvelope),
  post('/events', 'the body 200,000 arrays deep', deepArray(200_000), 400, badEnvelope),
  post('/events', 'a NUL key in the envelope', batchOf({ [NUL]: 1 }), 400, badEnvelope),
  post('/events', 'invalid JSON', '{"events":[', 400, 'invalid_json'),
  post('/events', 'a byte-order mark is skipped', `\ufeff${batchOf({})}`, 200, null),
  post('/events', 'text/html', batchOf({}), 415, 'unsupported_media_type', { contentType: 'text/html' }),
  post('/events', 'no content type', batchOf({}), 415, 'unsupported_media_type', { contentType: null }),
  post('/events', 'latin-1', batchOf({}), 415, 'unsupported_charset', { contentType: 'application/json; charset=latin1' }),
  post('/events', 'multipart', batchOf({}), 415, 'unsupported_media_type', { contentType: 'multipart/form-data; boundary=x' }),
  post('/events', 'over 512 KB', json({ events: [good({ properties: { pad: 'x'.repeat(600_000) } })] }), 413, 'payload_too_large'),
  post('/events', 'no credentials', batchOf({}), 401, null, { auth: 'none' }),
  post('/events', 'a read-only token', batchOf({}), 403, null, { auth: 'read_only' }),
  post('/events?debug=%00', 'an unknown query parameter is ignored', batchOf({}), 200, null),
  post('/events?source_key=sk_%00', 'a bogus source key in the query', batchOf({}), 401, null, { auth: 'none' }),
  post('/events', 'a bogus bearer token', batchOf({}), 401, null, { auth: 'none', headers: { authorization: 'Bearer x.y.z' } }),
  {
    name: 'OPTIONS /events: a preflight from an opaque origin',
    method: 'OPTIONS',
    path: () => `${API}/events`,
    status: 204,
    code: null,
    auth: 'none',
    headers: { origin: 'null', 'access-control-request-method': 'POST' },
  },

  // POST /consent
  post('/consent', 'NUL in an identifier', consentOf({ identifiers: [{ type: 'anonymous_id', value: `a${NUL}` }] }), 400, bad),
  post('/consent', 'cut emoji in an identifier', consentOf({ identifiers: [{ type: 'external_id', value: `u${HIGH}` }] }), 400, bad),
  post('/consent', 'NUL in policy_version', consentOf({ policy_version: `v${NUL}` }), 400, bad),
  post('/consent', 'lone surrogate in policy_version', consentOf({ policy_version: `v${LOW}` }), 400, bad),
  post('/consent', 'NUL in a purpose', consentOf({ purposes: { [`analytics${NUL}`]: true } }), 400, bad),
  post('/consent', 'purposes 5,000 levels deep', rawConsent(deep(5000)), 400, bad),
  post('/consent', 'a purpose that is not a boolean', consentOf({ purposes: { analytics: 'yes' } }), 400, bad),
  post('/consent', 'a "__proto__" purpose', rawConsent('{"__proto__":true}'), 400, bad),
  post('/consent', '51 identifiers', consentOf({ identifiers: deviceIds(51) }), 400, bad),
  post('/consent', 'empty body', '', 400, 'invalid_json'),
  post('/consent', 'invalid JSON', '{"purposes":', 400, 'invalid_json'),
  post('/consent', 'form-encoded', 'a=1', 415, 'unsupported_media_type', { contentType: 'application/x-www-form-urlencoded' }),
  post('/consent', 'NUL from the pixel', consentOf({ identifiers: [{ type: 'device_id', value: NUL }] }), 400, bad, { auth: 'source_key' }),

  // /sources
  post('/sources', 'NUL in the name', sourceOf({ name: `web${NUL}` }), 400, bad),
  post('/sources', 'cut emoji in the name', sourceOf({ name: `Shop ${HIGH}` }), 400, bad),
  post('/sources', 'NUL in an origin', sourceOf({ allowed_origins: [`https://a${NUL}.io`] }), 400, bad),
  post('/sources', 'lone surrogate in an origin', sourceOf({ allowed_origins: [`https://a${HIGH}.io`] }), 400, bad),
  post('/sources', 'a name 5,000 levels deep', `{"name":${deep(5000)},"source_type":"website"}`, 400, bad),
  post('/sources', 'a 201-character name', sourceOf({ name: 'n'.repeat(201) }), 400, bad),
  post('/sources', 'an unknown type', sourceOf({ source_type: 'fax' }), 400, bad),
  post('/sources', 'empty body', '', 400, 'invalid_json'),
  post('/sources', 'invalid JSON', '{"name":', 400, 'invalid_json'),
  post('/sources', 'text/plain', sourceOf({}), 415, 'unsupported_media_type', { contentType: 'text/plain' }),
  get('/sources: an unknown query parameter is ignored', () => `${API}/sources?x=${NUL}`, 200, null),
  patchSource('NUL in the name', json({ name: `web${NUL}` }), 400, bad),
  patchSource('lone surrogate in an origin', json({ allowed_origins: [`https://a${HIGH}.io`] }), 400, bad),
  patchSource('an origin with a query', json({ allowed_origins: ['https://a.io/?x=1'] }), 400, bad),
  patchSource('a name 5,000 levels deep', `{"name":${deep(5000)}}`, 400, bad),
  patchSource('nothing to change', '{}', 400, bad),
  patchSource('a new source_type', json({ source_type: 'server' }), 400, bad),
  patchSource('empty body', '', 400, 'invalid_json'),
  patchSource('invalid JSON', '{"name":', 400, 'invalid_json'),
  patchSource('text/plain', json({ name: 'x' }), 415, 'unsupported_media_type', { contentType: 'text/plain' }),
  patchSource('36 dashes', json({ name: 'x' }), 400, bad, { id: () => dashes }),
  patchSource('an unknown source', json({ name: 'x' }), 404, 'source_not_found', { id: () => randomUUID() }),
  patchSource('without the sources:write scope', json({ name: 'x' }), 403, null, { auth: 'read_only' }),
  rotate('not a UUID', () => 'not-a-uuid', 400, bad),
  rotate('36 dashes', () => dashes, 400, bad),
  rotate('an unknown source', () => randomUUID(), 404, 'source_not_found'),
  rotate('without the admin scope', () => randomUUID(), 403, null, { auth: 'read_only' }),

  // /destinations and their outbox (Trust Engine)
  post('/destinations', 'NUL in the name', destinationOf({ name: `meta${NUL}` }), 400, bad),
  post('/destinations', 'cut emoji in the access token', destinationOf({ config: { pixel_id: '1', access_token: `t${HIGH}` } }), 400, bad),
  post('/destinations', 'NUL in a webhook URL', json({ name: 'h', type: 'webhook', config: { url: `https://a.io/${NUL}` } }), 400, bad),
  post('/destinations', 'a policy 5,000 levels deep', rawDestination(`"policy":${deep(5000)}`), 400, bad),
  post('/destinations', 'min_event_emq 1e400', rawDestination('"policy":{"min_event_emq":1e400}'), 400, bad),
  post('/destinations', 'NUL in an event name filter', destinationOf({ filters: { event_names: [`Purchase${NUL}`] } }), 400, bad),
  post('/destinations', 'an unknown type', destinationOf({ type: 'fax' }), 400, bad),
  post('/destinations', 'empty body', '', 400, 'invalid_json'),
  post('/destinations', 'without the admin scope', destinationOf({}), 403, null, { auth: 'read_only' }),
  get('/destinations/{id}: 36 dashes', () => `${API}/destinations/${dashes}`, 400, bad),
  get('/destinations/{id}: an unknown destination', () => `${API}/destinations/${randomUUID()}`, 404, 'destination_not_found'),
  get('held: a cursor that is not a UUID', () => `${API}/destinations/${randomUUID()}/held?cursor=%00`, 400, bad),
  get('held: limit 1e400', () => `${API}/destinations/${randomUUID()}/held?limit=1e400`, 400, bad),
  get('deliveries: an unknown status', () => `${API}/destinations/${randomUUID()}/deliveries?status=lost`, 400, bad),
  post(`/destinations/${randomUUID()}/held/release`, 'event ids of 36 dashes', json({ event_ids: [dashes] }), 400, bad),
  post(`/destinations/${randomUUID()}/held/discard`, 'NUL in a filter', json({ filter: { event_names: [NUL] } }), 400, bad),
  post(`/destinations/${randomUUID()}/deliveries/retry`, 'an unknown reason', json({ filter: { reasons: ['bored'] } }), 400, bad),
  post(`/destinations/${randomUUID()}/deliveries/retry`, 'an unknown destination', json({ filter: {} }), 404, 'destination_not_found'),
  get('/trust: an unknown query parameter is ignored', () => `${API}/trust?x=%00`, 200, null),

  // POST /erasure
  post('/erasure', 'NUL in the value', erasureOf('device_id', `d${NUL}`), 400, bad),
  post('/erasure', 'lone surrogate in the value', erasureOf('external_id', `u${HIGH}`), 400, bad),
  post('/erasure', 'an unknown type', erasureOf('ssn', '1'), 400, bad),
  post('/erasure', 'a value 5,000 levels deep', `{"identifier_type":"email","identifier_value":${deepArray(5000)}}`, 400, bad),
  post('/erasure', 'empty body', '', 400, 'invalid_json'),
  post('/erasure', 'without the admin scope', erasureOf('device_id', 'd'), 403, null, { auth: 'read_only' }),

  // GET /profiles and /profiles/{id}
  get('/profiles: NUL in identifier_value', lookup('identifier_type=device_id&identifier_value=a%00b'), 400, bad),
  get('/profiles: NUL as an email', lookup('identifier_type=email&identifier_value=%00'), 400, bad),
  get('/profiles: a percent-encoded lone surrogate', lookup('identifier_type=device_id&identifier_value=%ED%A0%BD'), 404, notFound),
  get('/profiles: no query', lookup(''), 400, bad),
  get('/profiles: an unknown identifier type', lookup('identifier_type=ssn&identifier_value=1'), 400, bad),
  get('/profiles: a 513-character value', lookup(`identifier_type=device_id&identifier_value=${'v'.repeat(513)}`), 400, bad),
  get('/profiles/{id}: not a UUID', () => `${API}/profiles/not-a-uuid`, 400, bad),
  get('/profiles/{id}: 36 dashes', () => `${API}/profiles/${dashes}`, 400, bad),
  get('/profiles/{id}: with a NUL', () => `${API}/profiles/${randomUUID().slice(0, 35)}%00`, 400, bad),
  get('/profiles/{id}: an unknown query parameter is ignored', () => `${API}/profiles/${profileId}?expand=%00`, 200, null),

  // GET /profiles/{id}/events
  get('journey: a cursor id of 36 dashes', cursorAt(now(), dashes), 400, 'invalid_cursor'),
  get('journey: a cursor in year -271821', cursorAt('-271821-04-20T00:00:00.000Z'), 400, 'invalid_cursor'),
  get('journey: a cursor in year +275760', cursorAt('+275760-09-13T00:00:00.000Z'), 400, 'invalid_cursor'),
  get('journey: a cursor in year 0000', cursorAt('0000-01-01T00:00:00.000Z'), 400, 'invalid_cursor'),
  get('journey: a cursor with a loose date', cursorAt('June 1, 2026'), 400, 'invalid_cursor'),
  get('journey: a cursor with a NUL', cursorAt(now(), `${randomUUID()}${NUL}`), 400, 'invalid_cursor'),
  get('journey: a cursor with a third part', cursorAt(now(), `${randomUUID()}|x`), 400, 'invalid_cursor'),
  get('journey: a cursor that is not base64', journey('cursor=%%%'), 400, 'invalid_cursor'),
  get('journey: a 201-character cursor', journey(`cursor=${'A'.repeat(201)}`), 400, bad),
  get('journey: limit 0', journey('limit=0'), 400, bad),
  get('journey: limit 501', journey('limit=501'), 400, bad),
  get('journey: limit 1e400', journey('limit=1e400'), 400, bad),
  get('journey: limit 1.5', journey('limit=1.5'), 400, bad),
  get('journey: limit abc', journey('limit=abc'), 400, bad),
  get('journey: an unknown query parameter is ignored', journey('order=asc'), 200, null),
  get('journey: an id that is not a UUID', () => `${API}/profiles/x/events`, 400, bad),

  // GET /profiles/{id}/merges
  get('/profiles/{id}/merges: 36 dashes', () => `${API}/profiles/${dashes}/merges`, 400, bad),
  get('/profiles/{id}/merges: with a NUL', () => `${API}/profiles/${randomUUID().slice(0, 35)}%00/merges`, 400, bad),
  get('/profiles/{id}/merges: an unknown profile', () => `${API}/profiles/${randomUUID()}/merges`, 404, notFound),

  // GET /events/{event_id}
  get('/events/{event_id}: not a UUID', () => `${API}/events/not-a-uuid`, 400, bad),
  get('/events/{event_id}: 36 dashes', () => `${API}/events/${dashes}`, 400, bad),
  get('/events/{event_id}: with a NUL', () => `${API}/events/${randomUUID().slice(0, 35)}%00`, 400, bad),
  get('/events/{event_id}: an unknown event', () => `${API}/events/${randomUUID()}`, 404, 'event_not_found'),
  get('/events/{event_id}: an unknown query parameter is ignored', () => `${API}/events/${eventId}?x=%00`, 200, null, { auth: 'read_only' }),
  get('/events/{event_id}: no credentials', () => `${API}/events/${randomUUID()}`, 401, null, { auth: 'none' }),

  // GET /profiles/{id}/consent
  get('/profiles/{id}/consent: 36 dashes', () => `${API}/profiles/${dashes}/consent`, 400, bad),
  get('/profiles/{id}/consent: an unknown profile', () => `${API}/profiles/${randomUUID()}/consent`, 404, notFound),

  // GET /emq
  get('/emq: source_id not a UUID', emq('source_id=web'), 400, bad),
  get('/emq: source_id of 36 dashes', emq(`source_id=${dashes}`), 400, bad),
  get('/emq: source_id with a NUL', emq('source_id=%00'), 400, bad),
  get('/emq: an unknown source', emq(`source_id=${randomUUID()}`), 404, 'source_not_found'),
  get('/emq: top -1', emq('top=-1'), 400, bad),
  get('/emq: top 1e400', emq('top=1e400'), 400, bad),
  get('/emq: an unknown query parameter is ignored', emq('window=1y'), 200, null),

  // GET /events/stream: only refusals here, an accepted stream never ends (events-stream-route.test.ts)
  get('/events/stream: source_id not a UUID', live('source_id=web'), 400, bad),
  get('/events/stream: source_id with a NUL', live('source_id=%00'), 400, bad),
  get('/events/stream: an unknown band', live('band=great'), 400, bad),
  get('/events/stream: band twice', live('band=good&band=poor'), 400, bad),
  get('/events/stream: event_name of 129 characters', live(`event_name=${'A'.repeat(129)}`), 400, bad),
  get('/events/stream: event_name with a NUL', live('event_name=Page%00View'), 400, bad),
  get('/events/stream: event_name empty', live('event_name='), 400, bad),
  get('/events/stream: a source key', live(''), 403, 'source_key_not_allowed', { auth: 'source_key' }),
  get('/events/stream: no credentials', live(''), 401, 'missing_credentials', { auth: 'none' }),

  // GET /emq/series
  get('/emq/series: an unknown bucket', series('bucket=week'), 400, bad),
  get('/emq/series: from not a time', series('from=yesterday'), 400, bad),
  get('/emq/series: from in year 0000', series('from=0000-01-01T00:00:00Z'), 400, bad),
  get('/emq/series: to on 30 February', series('to=2026-02-30T00:00:00Z'), 400, bad),
  get('/emq/series: to with a NUL', series('to=2026-01-01T00:00:00Z%00'), 400, bad),
  get('/emq/series: from after to', series('from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z'), 400, 'invalid_range'),
  get('/emq/series: 745 hours', series('from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:01Z'), 400, 'invalid_range'),
  get('/emq/series: 30 years by hour', series('from=1990-01-01T00:00:00Z&to=2020-01-01T00:00:00Z'), 400, 'invalid_range'),
  get('/emq/series: source_id of 36 dashes', series(`source_id=${dashes}`), 400, bad),
  get('/emq/series: an unknown source', series(`source_id=${randomUUID()}`), 404, 'source_not_found'),
  get('/emq/series: an unknown query parameter is ignored', series('step=1s'), 200, null),

  // GET /roi
  get('/roi: ad_spend 1e400', () => `${API}/roi?ad_spend=1e400&conversions=10&average_order_value=50&target_emq=80&current_emq=50`, 400, bad),
  get('/roi: no query', () => `${API}/roi`, 400, bad),
  get('/roi: current_emq 1e400', roi('current_emq=1e400'), 400, bad),
  get('/roi: current_emq with a NUL', roi('current_emq=5%000'), 400, bad),
  get('/roi: a negative match rate', roi('current_emq=50&match_rate_at_zero=-0.1'), 400, bad),
  get('/roi: match rates the wrong way round', roi('current_emq=50&match_rate_at_zero=0.9&match_rate_at_hundred=0.2'), 400, 'invalid_roi_input'),
  get('/roi: an unknown query parameter is ignored', roi('currency=%00'), 200, null),

  // GET /me
  get('/me: an unknown query parameter is ignored', () => `${API}/me?x=%00`, 200, null),
  get('/me: a bogus bearer token', () => `${API}/me`, 401, null, { auth: 'none', headers: { authorization: 'Bearer x.y.z' } }),

  // Health, probes, docs, the pixel and unknown routes
  get('/health: an unknown query parameter is ignored', () => `${API}/health?verbose=%00`, 200, null),
  get('/health: no credentials', () => `${API}/health`, 401, null, { auth: 'none' }),
  get('/livez: a query is ignored', () => '/livez?x=%00', 200, null, { auth: 'none' }),
  get('/openapi.json: a query is ignored', () => '/openapi.json?x=%00', 200, null, { auth: 'none' }),
  get('/docs: a query is ignored', () => '/docs?url=javascript:alert(1)', 200, null, { auth: 'none' }),
  get('/redoc: a query is ignored', () => '/redoc?x=1', 200, null, { auth: 'none' }),
  get('the pixel: an unknown file', () => '/stratum-evil.min.js', 404, 'not_found', { auth: 'none' }),
  get('the pixel: a traversal', () => '/..%2F..%2Fpackage.json', 404, 'not_found', { auth: 'none' }),
  get('an unknown route with a NUL', () => `${API}/%00`, 404, 'not_found'),
]

describe('every route answers bad input with a 4xx in the error shape', () => {
  test.each(routeCases)('$name', async ({ method, path, body, status, code, contentType, auth, headers }) => {
    const res = await send(method, path(), { body, contentType, auth, headers })
    expect(res.status).toBe(status)
    if (status >= 400) {
      expect(res.body).toEqual({ error: { code: code ?? expect.any(String), message: expect.any(String), details: expect.any(Array) } })
    }
  })

  test('invalid_json does not echo the body', async () => {
    const secret = 'jane.doe@private.example'
    for (const body of [`{"email":"${secret}",`, `{"email":"${secret}" x}`, `${secret}`, `{"a":1} ${secret}`]) {
      const res = await send('POST', `${API}/events`, { body })
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('invalid_json')
      expect(res.text).not.toContain('jane')
      expect(res.text).not.toContain('private')
    }
  })
})

test('the corpus holds at least 60 cases', () => {
  expect(batchCases.length + routeCases.length).toBeGreaterThanOrEqual(60)
})
