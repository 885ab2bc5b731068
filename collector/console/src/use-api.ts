import { useCallback, useEffect, useState } from 'preact/hooks'
import { api } from './api'

/** A GET's state: loading, its data, or its error. */
export interface Loaded<T> {
  data?: T
  error?: Error
  loading: boolean
  /** Asks again (after a change, or from an error's "Retry"). */
  reload: () => void
}

/**
 * Loads `path` with {@link api} when it changes; `null` waits.
 *
 * @example
 * const sources = useApi<{ data: Source[] }>('/sources')
 */
export function useApi<T>(path: string | null): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: path !== null })
  const [round, setRound] = useState(0)
  useEffect(() => {
    if (path === null) return
    const abort = new AbortController()
    setState((s) => ({ ...s, loading: true, error: undefined }))
    api<T>(path, { signal: abort.signal }).then(
      (data) => setState({ data, loading: false }),
      (error: Error) => abort.signal.aborted || setState({ error, loading: false }),
    )
    return () => abort.abort()
  }, [path, round])
  const reload = useCallback(() => setRound((r) => r + 1), [])
  return { ...state, reload }
}
