/** The click ids an ad platform appends to a landing page's URL, as Stratum's context keeps them. */
export interface ClickIds {
  fbc?: string
  gclid?: string
  ttclid?: string
}

const NAMES = ['fbclid', 'gclid', 'ttclid'] as const

/**
 * Finds click ids in a page's query string (`context.page.search`, or the
 * query of `context.page.url`) and in the campaign: `gclid` and `ttclid`
 * as they are, Meta's `fbclid` as the `fbc` value Meta expects
 * (`fb.1.<time in ms>.<fbclid>`, the time being the event's). `undefined`
 * when there is none.
 *
 * @example
 * clickIdsOf(['?utm_source=fb&fbclid=IwAR2x'], {}, 1760000000000) // { fbc: 'fb.1.1760000000000.IwAR2x' }
 */
export function clickIdsOf(queries: readonly unknown[], campaign: Record<string, unknown>, eventTimeMs: number): ClickIds | undefined {
  const found = new Map<string, string>()
  const offer = (name: string, value: unknown) => {
    if (typeof value === 'string' && value !== '' && !found.has(name)) found.set(name, value)
  }
  for (const query of queries) {
    if (typeof query !== 'string') continue
    const params = new URLSearchParams(query.slice(query.indexOf('?') + 1).split('#')[0])
    for (const name of NAMES) offer(name, params.get(name))
  }
  for (const name of NAMES) offer(name, campaign[name])
  const fbclid = found.get('fbclid')
  const ids: ClickIds = {
    ...(fbclid ? { fbc: `fb.1.${eventTimeMs}.${fbclid}` } : {}),
    ...(found.has('gclid') ? { gclid: found.get('gclid') } : {}),
    ...(found.has('ttclid') ? { ttclid: found.get('ttclid') } : {}),
  }
  return found.size > 0 ? ids : undefined
}
