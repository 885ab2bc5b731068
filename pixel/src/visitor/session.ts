import type { PersistedValue } from './persisted-value'

/**
 * Inactivity after which the next event starts a new session.
 *
 * @example
 * createPersistedValue('stratum_sid', persistence, SESSION_TIMEOUT_MS / 1000)
 */
export const SESSION_TIMEOUT_MS = 30 * 60_000

/**
 * The visitor's current session.
 *
 * @example
 * const sessionId = session.touch()
 */
export interface Session {
  /** The current session id; counts as activity, so it extends the session. */
  touch(): string
  /** Ends the session; the next `touch()` starts a new one. */
  end(): void
}

/**
 * A session that ends after 30 minutes without activity, stored as
 * `<id>.<last activity ms>` so that every tab and subdomain sharing the
 * cookie sees the same session. The clock is injected so that rollover is
 * testable (and follows Playwright's `page.clock`).
 *
 * @example
 * const session = createSession(createPersistedValue('stratum_sid', persistence, 1800), Date.now, uuid)
 * session.touch() // same id until 30 minutes pass without a touch
 */
export function createSession(value: PersistedValue, now: () => number, makeId: () => string): Session {
  return {
    touch() {
      const [id, last] = (value.get() || '').split('.')
      const time = now()
      const current = id && time - Number(last) < SESSION_TIMEOUT_MS ? id : makeId()
      value.set(`${current}.${time}`)
      return current
    },
    end: () => value.remove(),
  }
}
