/**
 * Logs a `[stratum]` warning; never throws, even where `console` is missing or patched.
 *
 * @example
 * warn('dropped 3 events: HTTP 400', responseBody)
 */
export function warn(message: string, detail?: unknown): void {
  try {
    console.warn(`[stratum] ${message}`, detail || '')
  } catch {}
}

/**
 * Wraps a function so that nothing it throws reaches the host page: a bug in
 * the pixel must never break a checkout. The error is logged instead.
 *
 * @example
 * window.addEventListener('pagehide', guard(() => delivery.flushOnUnload()))
 */
export function guard<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R | undefined {
  return (...args) => {
    try {
      return fn(...args)
    } catch (error) {
      warn('internal error', error)
      return undefined
    }
  }
}

/**
 * Parses JSON, or returns `fallback` for missing or unreadable text (another
 * script may have written anything under the pixel's keys).
 *
 * @example
 * parseJson(store.get('stratum_user'), { identifiers: [], user_data: {} })
 */
export function parseJson<T>(text: string | null, fallback: T): T {
  try {
    return JSON.parse(text!) || fallback
  } catch {
    return fallback
  }
}
