import { clearToken, readToken } from './session'

/** The collector's API, on the console's own origin. */
export const API_BASE = '/api/v1/cdp'

/**
 * An answer other than 2xx, carrying the collector's error shape
 * (`{ error: { code, message, details } }`, the API's error shape in the OpenAPI document).
 */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** Fired on `window` when the collector refuses the token: the shell goes back to sign-in. */
export const SIGNED_OUT_EVENT = 'stratum:signed-out'

/**
 * The headers every call carries: the token in `Authorization`, never in a URL.
 *
 * @example
 * fetch('/api/v1/cdp/events/stream', { headers: authHeaders() })
 */
export function authHeaders(extra: Record<string, string> = {}): Record<string, string> {
  const token = readToken()
  return { ...extra, ...(token ? { authorization: `Bearer ${token}` } : {}) }
}

/**
 * Turns a non-2xx answer into an {@link ApiError}; a 401 also forgets the
 * token and tells the shell, which shows sign-in with the message.
 *
 * @example
 * if (!res.ok) throw await apiError(res)
 */
export async function apiError(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null
  const error = new ApiError(res.status, body?.error?.code ?? `http_${res.status}`, body?.error?.message ?? res.statusText)
  if (res.status === 401) {
    clearToken()
    window.dispatchEvent(new CustomEvent(SIGNED_OUT_EVENT, { detail: error.message }))
  }
  return error
}

/**
 * Calls the collector's API with the stored token and parses the JSON answer.
 *
 * @example
 * const me = await api<Me>('/me')
 * await api('/sources', { method: 'POST', body: { name: 'Shop', source_type: 'website' } })
 */
export async function api<T>(path: string, options: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const res = await fetch(API_BASE + path, {
    method: options.method ?? 'GET',
    headers: authHeaders(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  })
  if (!res.ok) throw await apiError(res)
  return (res.status === 204 ? undefined : await res.json()) as T
}
