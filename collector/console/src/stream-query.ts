/** What the live stream is filtered by; empty strings mean "all". */
export interface Filters {
  source: string
  eventName: string
  band: string
}

/**
 * The stream's query string for `filters` (`?source_id=…&event_name=…&band=…`).
 *
 * @example
 * streamQuery({ source: 'server', eventName: '', band: 'poor' }) // '?source_id=server&band=poor'
 */
export function streamQuery(filters: Filters): string {
  const query = new URLSearchParams()
  if (filters.source) query.set('source_id', filters.source)
  if (filters.eventName.trim()) query.set('event_name', filters.eventName.trim())
  if (filters.band) query.set('band', filters.band)
  const text = query.toString()
  return text ? `?${text}` : ''
}
