import { useEffect, useRef } from 'preact/hooks'
import { ErrorMessage, Loading } from '../states'
import { useApi } from '../use-api'
import { Band, type BandName, formatTime } from './band'
import { EmqBreakdown } from './emq-breakdown'

/** `GET /events/{event_id}`. */
interface StoredEvent {
  event_id: string
  event_name: string
  event_time: string
  received_at: string
  source_id: string | null
  action_source: string | null
  profile_id: string | null
  status: string
  identifiers: { type: string; hash: string; status: string }[]
  properties: Record<string, unknown>
  context: Record<string, unknown>
  consent: Record<string, unknown> | null
  emq: number | null
  band: BandName | null
  emq_breakdown: Record<string, number> | null
  warnings: string[]
}

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
