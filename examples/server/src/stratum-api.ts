/** An event as a backend sends it (the collector's `POST /events`, collector/docs/pipeline.md): PII hashed, `action_source: 'server'`. */
export interface ServerEvent {
  event_id: string
  event_name: string
  event_time: string
  action_source: 'server'
  identifiers: { type: string; value: string; role?: true }[]
  user_data?: Record<string, string>
  properties: Record<string, unknown>
}

/** The collector's answer for one event of a batch. */
export interface EventResult {
  event_id: string
  status: 'accepted' | 'duplicate' | 'suppressed'
  profile_id: string | null
  emq: number | null
  warnings?: string[]
}

/** The answer of `POST /events`. */
export interface IngestResult {
  accepted: number
  duplicates: number
  rejected: { index: number; code: string; message: string }[]
  events: EventResult[]
}

/** A unified profile; identifiers come back as type + hash, never raw. */
export interface Profile {
  id: string
  lifecycle_stage: 'anonymous' | 'known' | 'customer'
  events_count: number
  sessions_count: number
  /** Purchases confirmed by a backend (JWT or secret key). */
  purchases_count: number
  revenue: Record<string, number>
  /** Purchases only a browser reported, not yet confirmed by a backend. */
  claimed_purchases_count: number
  claimed_revenue: Record<string, number>
  identifiers: { type: string; hash: string }[]
}

/** One event of a profile's journey. */
export interface JourneyEvent {
  event_id: string
  event_name: string
  event_time: string
  /** `browser` when the page sent it with the public source key, `server` when a backend did. */
  trust: 'browser' | 'server' | null
  emq: number | null
  properties: Record<string, unknown>
  context: { page?: { url: string; title: string } }
}

/** A non-2xx answer from the collector, with its error code. */
export class StratumApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${status} ${code}: ${message}`)
  }
}

/**
 * A small client for the collector's REST API, authenticated with a JWT
 * (`events:write profiles:read`). `baseUrl` ends with `/api/v1/cdp`.
 *
 * @example
 * const api = stratumApi({ baseUrl: 'http://localhost:8787/api/v1/cdp', token })
 * const profile = await api.findProfile('email', 'jane.doe@gmail.com')
 */
export function stratumApi(options: { baseUrl: string; token: string }) {
  const call = async <T>(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> => {
    const response = await fetch(options.baseUrl.replace(/\/$/, '') + path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const json = await response.json().catch(() => ({}))
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string } }).error
      throw new StratumApiError(response.status, error?.code ?? 'http_error', error?.message ?? response.statusText)
    }
    return json as T
  }
  return {
    /**
     * Sends a batch; the answer comes after the collector stored it durably
     * and, as this backend asks (`Prefer: wait=resolved`), resolved it: each
     * event carries its `profile_id`.
     */
    sendEvents: (events: ServerEvent[]) =>
      call<IngestResult>('/events', { sent_at: new Date().toISOString(), events }, { prefer: 'wait=resolved' }),
    /** The profile owning an identifier (a raw email or phone is hashed by the collector), or `null`. */
    async findProfile(type: string, value: string): Promise<Profile | null> {
      const query = new URLSearchParams({ identifier_type: type, identifier_value: value })
      return call<Profile>(`/profiles?${query}`).catch((error: unknown) => {
        if (error instanceof StratumApiError && error.status === 404) return null
        throw error
      })
    },
    /** The profile's latest events, newest first. */
    journey: async (profileId: string, limit = 50) =>
      (await call<{ data: JourneyEvent[] }>(`/profiles/${encodeURIComponent(profileId)}/events?limit=${limit}`)).data,
  }
}

export type StratumApi = ReturnType<typeof stratumApi>

/**
 * The client configured by `STRATUM_API` and `STRATUM_TOKEN`.
 *
 * @example
 * const api = stratumApiFromEnv(process.env)
 */
export function stratumApiFromEnv(env: Record<string, string | undefined>): StratumApi {
  const baseUrl = env.STRATUM_API
  const token = env.STRATUM_TOKEN
  if (!baseUrl || !token) {
    throw new Error(
      'Set STRATUM_API (e.g. http://localhost:8787/api/v1/cdp) and STRATUM_TOKEN (the Dev JWT `pnpm start` prints).',
    )
  }
  return stratumApi({ baseUrl, token })
}
