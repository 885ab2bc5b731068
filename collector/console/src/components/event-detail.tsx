import { useEffect, useRef } from 'preact/hooks'
import type { StoredEvent } from '../api-types'
import { ErrorMessage, Loading } from '../states'
import { useApi } from '../use-api'
import { Band, formatTime } from './band'
import { EmqBreakdown } from './emq-breakdown'

/**
 * The full stored event with its EMQ breakdown (`GET /events/{id}`), in a
 * labelled region that takes focus when it opens.
 *
 * @example
 * <EventDetail id={eventId} onClose={() => setOpen(undefined)} />
 */
export function EventDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const { data, error, loading, reload } = useApi<StoredEvent>(`/events/${encodeURIComponent(id)}`)
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [id])
  return (
    <section class="card" aria-labelledby="event-detail">
      <h2 id="event-detail" ref={heading} tabIndex={-1}>
        Event {data?.event_name ?? id}
      </h2>
      <button type="button" onClick={onClose}>
        Close event
      </button>
      {error && <ErrorMessage error={error} retry={reload} />}
      {loading && <Loading what="the event" />}
      {data && (
        <>
          <p>
            <Band band={data.band} score={data.emq} /> · {data.status} · event time {formatTime(data.event_time)} · received{' '}
            {formatTime(data.received_at)} · {data.action_source ?? 'no action source'}
          </p>
          <EmqBreakdown breakdown={data.emq_breakdown} />
          <p>
            Identifiers:{' '}
            {data.identifiers.length ? data.identifiers.map((i) => `${i.type} (${i.status})`).join(', ') : 'none'}
          </p>
          {data.warnings.length > 0 && <p>Warnings: {data.warnings.join(', ')}</p>}
          <details>
            <summary>Stored event (JSON)</summary>
            <pre>{JSON.stringify(data, null, 2)}</pre>
          </details>
        </>
      )}
    </section>
  )
}
