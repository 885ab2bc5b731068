/** An event as the collector returns it in a profile's journey. */
export interface StoredEvent {
  event_id: string
  event_name: string
  event_time: string
  properties: Record<string, unknown>
  context: {
    page?: { url: string; referrer: string; title: string }
    session_id?: string
    campaign?: Record<string, string>
    click_ids?: Record<string, string>
    [key: string]: unknown
  }
  identifiers: { type: string; value: string; role?: boolean }[]
  consent?: { analytics: boolean; marketing: boolean }
  [key: string]: unknown
}

/**
 * The collector's REST API, as an admin of the e2e tenant.
 *
 * @example
 * const api = collectorApi(collector.url, token)
 * await api.eventsOf('anonymous_id', aid)
 */
export function collectorApi(url: string, token: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, unknown> }
  }
  const profileId = async (type: string, value: string): Promise<string | undefined> => {
    const query = `identifier_type=${encodeURIComponent(type)}&identifier_value=${encodeURIComponent(value)}`
    const { status, body } = await call('GET', `/api/v1/cdp/profiles?${query}`)
    if (status === 404) return undefined
    if (status !== 200) throw new Error(`profile lookup answered ${status}: ${JSON.stringify(body)}`)
    const found = (body.data as Record<string, unknown>[] | undefined)?.[0] ?? body.profile ?? body
    return (found as { id?: string }).id
  }
  return {
    async createSource(name: string, allowedOrigins: string[]): Promise<{ id: string; source_key: string }> {
      const { status, body } = await call('POST', '/api/v1/cdp/sources', {
        name,
        source_type: 'website',
        allowed_origins: allowedOrigins,
      })
      if (status !== 201 && status !== 200) throw new Error(`creating a source answered ${status}: ${JSON.stringify(body)}`)
      return body as { id: string; source_key: string }
    },
    profileId,
    /** The journey of the profile owning the identifier, oldest first; `[]` when there is no such profile. */
    async eventsOf(type: string, value: string): Promise<StoredEvent[]> {
      const id = await profileId(type, value)
      if (!id) return []
      const events: StoredEvent[] = []
      let cursor: string | undefined
      do {
        const page = await call(
          'GET',
          `/api/v1/cdp/profiles/${id}/events?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        )
        if (page.status !== 200) throw new Error(`events answered ${page.status}: ${JSON.stringify(page.body)}`)
        events.push(...(page.body.data as StoredEvent[]))
        cursor = (page.body.next_cursor as string | null) ?? undefined
      } while (cursor)
      return events.sort((a, b) => a.event_time.localeCompare(b.event_time))
    },
  }
}

export type CollectorApi = ReturnType<typeof collectorApi>
