import { useCallback, useEffect, useState } from 'preact/hooks'
import { ApiError, api, SIGNED_OUT_EVENT } from './api'
import type { Me } from './api-types'
import { clearToken, readToken, saveToken } from './session'
import { explain } from './states'

/** Where the session stands. */
export type Session =
  | { state: 'signed-out'; message?: string }
  | { state: 'checking' }
  | { state: 'unavailable'; message: string }
  | { state: 'signed-in'; me: Me }

/**
 * The signed-in person (from `GET /me`), with sign-in, sign-out and retry.
 * A 401 anywhere in the app (see `apiError`) signs out with its message.
 *
 * @example
 * const { session, signIn, signOut, retry } = useSession()
 */
export function useSession() {
  const [session, setSession] = useState<Session>(() => (readToken() ? { state: 'checking' } : { state: 'signed-out' }))
  const check = useCallback(() => {
    setSession({ state: 'checking' })
    api<Me>('/me').then(
      (me) => setSession({ state: 'signed-in', me }),
      (error: Error) => {
        if (error instanceof ApiError && error.status === 401) return // the signed-out event says why
        if (error instanceof ApiError && error.status === 503) return setSession({ state: 'unavailable', message: explain(error) })
        clearToken()
        setSession({ state: 'signed-out', message: explain(error) })
      },
    )
  }, [])
  useEffect(() => {
    if (readToken()) check()
    const signedOut = (event: Event) =>
      setSession({
        state: 'signed-out',
        message: `The collector refused the token (expired or invalid): ${(event as CustomEvent<string>).detail} Sign in again.`,
      })
    window.addEventListener(SIGNED_OUT_EVENT, signedOut)
    return () => window.removeEventListener(SIGNED_OUT_EVENT, signedOut)
  }, [check])
  const signIn = useCallback(
    (token: string) => {
      saveToken(token)
      if (!readToken()) return setSession({ state: 'signed-out', message: 'This browser refuses session storage, where the token is kept.' })
      check()
    },
    [check],
  )
  const signOut = useCallback(() => {
    clearToken()
    setSession({ state: 'signed-out', message: 'You have signed out.' })
  }, [])
  return { session, signIn, signOut, retry: check }
}
