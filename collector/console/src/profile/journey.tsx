import { useEffect, useRef, useState } from 'preact/hooks'
import { emqBand } from '../../../src/emq/bands'
import { api } from '../api'
import type { Journey as JourneyPage } from '../api-types'
import { Band, formatTime } from '../components/band'
import { EventDetail } from '../components/event-detail'
import { Empty, ErrorMessage } from '../states'

/** An event of `GET /profiles/{id}/events`; it carries the stored context, of which the page URL is shown. */
type JourneyEvent = JourneyPage['data'][number] & { context?: { page?: { url?: string } } }

const PAGE = 50

/**
 * A profile's journey, newest first, with EMQ per event; the next page
 * loads when the end of the list scrolls into view (or on "Load more", for
 * keyboards), following `next_cursor`.
 *
 * @example
 * <Journey profileId={id} />
 */
export function Journey({ profileId }: { profileId: string }) {
  const [events, setEvents] = useState<JourneyEvent[]>([])
  const [cursor, setCursor] = useState<string | null | undefined>(undefined)
  const [state, setState] = useState<{ busy: boolean; error?: Error }>({ busy: false })
  const [open, setOpen] = useState<string>()
  const sentinel = useRef<HTMLDivElement>(null)
  const busy = useRef(false)
  const loadMore = async (from: string | null | undefined) => {
    if (busy.current || from === null) return
    busy.current = true
    setState({ busy: true })
    try {
      const page = await api<{ data: JourneyEvent[]; next_cursor: string | null }>(
        `/profiles/${profileId}/events?limit=${PAGE}${from ? `&cursor=${encodeURIComponent(from)}` : ''}`,
      )
      setEvents((e) => [...e, ...page.data])
      setCursor(page.next_cursor)
      setState({ busy: false })
    } catch (error) {
      setState({ busy: false, error: error as Error })
    } finally {
      busy.current = false
    }
  }
  useEffect(() => {
    setEvents([])
    setCursor(undefined)
    void loadMore(undefined)
  }, [profileId])
  useEffect(() => {
    if (!sentinel.current || cursor == null) return
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && void loadMore(cursor))
    observer.observe(sentinel.current)
    return () => observer.disconnect()
  }, [cursor])
  return (
    <section aria-labelledby="journey">
      <h2 id="journey">Journey</h2>
      {open && <EventDetail id={open} onClose={() => setOpen(undefined)} />}
      {events.length === 0 && !state.busy && !state.error && <Empty>No events on this profile.</Empty>}
      {events.length > 0 && (
        <ol class="journey">
          {events.map((e) => (
            <li key={e.event_id}>
              <button type="button" class="row-button" onClick={() => setOpen(e.event_id)}>
                {e.event_name}
              </button>{' '}
              <span class="muted">{formatTime(e.event_time)}</span> <Band band={e.emq == null ? null : emqBand(e.emq)} score={e.emq} />{' '}
              <span class="muted">{e.trust ?? ''}</span>
              {e.context?.page?.url && <div class="muted">{e.context.page.url}</div>}
            </li>
          ))}
        </ol>
      )}
      {state.error && <ErrorMessage error={state.error} retry={() => loadMore(cursor)} />}
      {state.busy && (
        <p role="status" class="muted">
          Loading events…
        </p>
      )}
      {cursor && (
        <div ref={sentinel}>
          <button type="button" onClick={() => loadMore(cursor)} disabled={state.busy}>
            Load more
          </button>
        </div>
      )}
    </section>
  )
}

