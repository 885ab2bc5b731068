import type { ComponentChildren } from 'preact'
import { ApiError } from './api'

/**
 * What to tell a person about a failed call: a missing scope names it, a
 * storage outage says to retry.
 *
 * @example
 * explain(new ApiError(503, 'storage_unavailable', '…')) // 'The collector cannot reach its database…'
 */
export function explain(error: Error): string {
  if (!(error instanceof ApiError)) return `The collector could not be reached (${error.message}).`
  if (error.status === 403) {
    const scope = /"([^"]+)" scope/.exec(error.message)?.[1]
    return scope ? `Your token lacks the "${scope}" scope this needs.` : error.message
  }
  if (error.status === 503) return `The collector cannot reach its database right now (${error.message}). Try again in a moment.`
  return error.message
}

/**
 * An error with a "Retry" button, announced to screen readers.
 *
 * @example
 * if (error) return <ErrorMessage error={error} retry={reload} />
 */
export function ErrorMessage({ error, retry }: { error: Error; retry?: () => void }) {
  return (
    <div class="error" role="alert">
      <p>{explain(error)}</p>
      {retry && (
        <button type="button" onClick={retry}>
          Retry
        </button>
      )}
    </div>
  )
}

/**
 * A loading line, announced politely.
 *
 * @example
 * if (loading) return <Loading what="sources" />
 */
export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" role="status">
      Loading {what}…
    </p>
  )
}

/**
 * An empty state: what is missing and what to do about it.
 *
 * @example
 * <Empty>No events in the last 24 hours.</Empty>
 */
export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>
}
