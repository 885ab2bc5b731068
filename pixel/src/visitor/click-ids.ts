import { parseJson } from '../safe'
import type { PersistedValue } from './persisted-value'

/**
 * Meta's click-id cookie; its 90-day life is Meta's own.
 *
 * @example
 * readCookie(cookies, FBC_COOKIE) // 'fb.1.1767225600000.IwAR2x'
 */
export const FBC_COOKIE = '_fbc'
/**
 * Meta's browser-id cookie, set by Meta's pixel; read only.
 *
 * @example
 * readCookie(cookies, FBP_COOKIE) // 'fb.1.1700000000000.987654321'
 */
export const FBP_COOKIE = '_fbp'
/**
 * The cookie keeping Google's click id, so later events of the visit carry it.
 *
 * @example
 * createPersistedValue(GCLID_COOKIE, persistence, CLICK_ID_MAX_AGE_SECONDS)
 */
export const GCLID_COOKIE = 'stratum_gclid'
/**
 * Where the session's UTM parameters are kept.
 *
 * @example
 * createPersistedValue(CAMPAIGN_KEY, persistence, CAMPAIGN_MAX_AGE_SECONDS)
 */
export const CAMPAIGN_KEY = 'stratum_campaign'
/**
 * A campaign only counts for the session it landed in; the cookie just has to outlive a long session.
 *
 * @example
 * createPersistedValue(CAMPAIGN_KEY, persistence, CAMPAIGN_MAX_AGE_SECONDS)
 */
export const CAMPAIGN_MAX_AGE_SECONDS = 86_400
/**
 * How long click ids are kept: Meta's 90 days for `_fbc`, the same for `gclid`.
 *
 * @example
 * createPersistedValue(FBC_COOKIE, persistence, CLICK_ID_MAX_AGE_SECONDS)
 */
export const CLICK_ID_MAX_AGE_SECONDS = 90 * 86_400

/**
 * Where attribution is kept between pages.
 *
 * @example
 * captureAttribution(location.href, sessionId, true, stores, Date.now())
 */
export interface AttributionStores {
  fbc: PersistedValue
  gclid: PersistedValue
  /** `{"s": session id, "c": {utm_…}}`: a campaign belongs to the session it landed in. A cookie, so subdomains share it. */
  campaign: PersistedValue
  /** Reads the `_fbp` cookie. */
  fbp(): string | null
}

/**
 * Campaign parameters and click ids for one event.
 *
 * @example
 * const { campaign, click_ids }: Attribution = captureAttribution(url, sid, true, stores, Date.now())
 */
export interface Attribution {
  campaign?: Record<string, string>
  click_ids?: Record<string, string>
}

/**
 * Meta's `fbc` for a click: `fb.1.<ms>.<fbclid>` (1: set on the registrable
 * domain). A stored `fbc` for the same click keeps its original timestamp, as
 * Meta requires.
 *
 * @example
 * fbcFor('IwAR2x', null, 1767225600000) // 'fb.1.1767225600000.IwAR2x'
 */
export function fbcFor(fbclid: string, stored: string | null, now: number): string {
  return stored?.endsWith(`.${fbclid}`) ? stored : `fb.1.${now}.${fbclid}`
}

/**
 * Captures attribution from the URL of every event's page (landing pages and
 * SPA navigations alike) and returns what the event carries: the session's
 * UTM parameters, and — only with marketing consent — `fbc`, `_fbp` and
 * `gclid`, which are advertising identifiers and are neither stored nor sent
 * without it.
 *
 * @example
 * captureAttribution('https://shop.example/?fbclid=IwAR2x&utm_source=fb', sid, true, stores, Date.now())
 * // { campaign: { utm_source: 'fb' }, click_ids: { fbc: 'fb.1.…IwAR2x' } }
 */
export function captureAttribution(
  pageUrl: string,
  sessionId: string,
  marketing: boolean,
  stores: AttributionStores,
  now: number,
): Attribution {
  let params: URLSearchParams
  try {
    params = new URL(pageUrl).searchParams
  } catch {
    params = new URLSearchParams()
  }
  const utm: Record<string, string> = {}
  params.forEach((value, key) => {
    if (key.startsWith('utm_')) utm[key] = value
  })
  if (Object.keys(utm).length) stores.campaign.set(JSON.stringify({ s: sessionId, c: utm }))
  const fbclid = params.get('fbclid')
  const gclid = params.get('gclid')
  const clickIds: Record<string, string> = {}
  if (marketing) {
    if (fbclid) stores.fbc.set(fbcFor(fbclid, stores.fbc.get(), now))
    if (gclid) stores.gclid.set(gclid)
    for (const [key, value] of [
      ['fbc', stores.fbc.get()],
      ['fbp', stores.fbp()],
      ['gclid', stores.gclid.get()],
    ] as const) {
      if (value) clickIds[key] = value
    }
  }
  const stored = parseJson<{ s?: string; c?: Record<string, string> }>(stores.campaign.get(), {})
  const campaign = stored.s === sessionId && stored.c
  return {
    ...(campaign && { campaign }),
    ...(Object.keys(clickIds).length ? { click_ids: clickIds } : {}),
  }
}
