import { createParser } from 'eventsource-parser'
import { useEffect, useRef, useState } from 'preact/hooks'
import { API_BASE, type ApiError, apiError, authHeaders } from './api'
import type { AcceptedItem as FeedAccepted, RejectedItem as FeedRejected } from '../../src/live/feed-item'

/** An `accepted` message of `GET /events/stream` (collector/docs/live-events.md). */
export type AcceptedItem = { kind: 'accepted' } & FeedAccepted

/** A `rejected` message of `GET /events/stream`. */
export type RejectedItem = { kind: 'rejected' } & FeedRejected

/** A `lagged` message: the page fell behind and the collector dropped this many messages for it. */
export interface LaggedItem {
  kind: 'lagged'
  dropped: number
}

export type StreamItem = AcceptedItem | RejectedItem | LaggedItem

/** Where the connection stands. */
export type StreamState = { state: 'connecting' } | { state: 'live' } | { state: 'reconnecting'; reason: string } | { state: 'failed'; error: ApiError }

const wait = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true })
  })

/**
 * Reads `GET /events/stream` with `fetch` — so the token travels in
 * `Authorization`, which `EventSource` cannot set — and `eventsource-parser`,
 * calling `onItem` for each event; reconnects after a drop with a backoff
 * (1 s doubling to 10 s). A refused token or scope stops it.
 *
 * @example
 * const status = useEventStream('?band=poor', (item) => add(item))
 */
export function useEventStream(query: string, onItem: (item: StreamItem) => void): StreamState {
  const [status, setStatus] = useState<StreamState>({ state: 'connecting' })
  const handler = useRef(onItem)
  handler.current = onItem
  useEffect(() => {
    const abort = new AbortController()
    const run = async () => {
      for (let attempt = 0; !abort.signal.aborted; attempt++) {
        let reason = 'the connection closed'
        try {
          const res = await fetch(`${API_BASE}/events/stream${query}`, {
            headers: authHeaders({ accept: 'text/event-stream' }),
            signal: abort.signal,
          })
          if (!res.ok || !res.body) {
            const error = await apiError(res)
            if (res.status === 401 || res.status === 403 || res.status === 400) return setStatus({ state: 'failed', error })
            throw error
          }
          const parser = createParser({
            onEvent(message) {
              if (message.event === 'ready') {
                attempt = 0
                setStatus({ state: 'live' })
              } else if (message.event === 'accepted' || message.event === 'rejected' || message.event === 'lagged') {
                handler.current({ kind: message.event, ...JSON.parse(message.data) })
              }
            },
          })
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
          for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) parser.feed(chunk.value)
        } catch (error) {
          if (abort.signal.aborted) return
          reason = (error as Error).message
        }
        setStatus({ state: 'reconnecting', reason })
        await wait(Math.min(10_000, 1000 * 2 ** attempt), abort.signal)
      }
    }
    setStatus({ state: 'connecting' })
    void run()
    return () => abort.abort()
  }, [query])
  return status
}
