/**
 * The console's credential: a JWT kept in `sessionStorage` only, so it lives
 * as long as the tab and never in a cookie, a URL or `localStorage`
 * (collector/docs/console.md, "Security").
 */
const KEY = 'stratum.console.token'

/** `sessionStorage`, or `undefined` where the browser refuses it (privacy modes, sandboxed frames). */
function storage(): Storage | undefined {
  try {
    return window.sessionStorage
  } catch {
    return undefined
  }
}

/**
 * Moves a `#token=…` fragment (the development link `pnpm start` prints) into
 * `sessionStorage` and removes it from the address bar and the history. A
 * fragment never reaches the server, so the token is in no request log.
 *
 * @example
 * adoptTokenFromFragment() // on http://127.0.0.1:8080/console/#token=eyJ…
 */
export function adoptTokenFromFragment(): void {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash)
  if (!match?.[1]) return
  saveToken(decodeURIComponent(match[1]))
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search)
}

/**
 * The stored token, if any.
 *
 * @example
 * const token = readToken()
 */
export function readToken(): string | undefined {
  return storage()?.getItem(KEY) ?? undefined
}

/**
 * Keeps `token` for this tab.
 *
 * @example
 * saveToken('eyJ…')
 */
export function saveToken(token: string): void {
  storage()?.setItem(KEY, token.trim())
}

/**
 * Forgets the token (sign out, or a token the collector refused).
 *
 * @example
 * clearToken()
 */
export function clearToken(): void {
  storage()?.removeItem(KEY)
}
