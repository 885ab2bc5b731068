import { useCallback, useRef, useState } from 'preact/hooks'
import { Band } from '../components/band'
import { EventDetail } from '../components/event-detail'
import type { Source } from '../api-types'
import { ErrorMessage } from '../states'
import { useApi } from '../use-api'
import { type LaggedItem, type StreamItem, useEventStream } from '../use-event-stream'
import { type Filters, streamQuery } from '../stream-query'
import { LiveFilters } from './live-filters'

/** Rows kept on screen: the oldest fall off past this. */
const MAX_ROWS = 500

const STATUS_TEXT = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', failed: 'Stopped' } as const

/**
 * Live events (`/console/live`): `GET /events/stream`, newest first, with
 * filters by source, event name and band, a Pause/Resume button, and the full
 * stored event on demand (`GET /events/{id}`).
 *
 * @example
 * <LiveEvents />
 */
export default function LiveEvents() {
  const sources = useApi<{ data: Source[] }>('/sources')
  const [filters, setFilters] = useState<Filters>({ source: '', eventName: '', band: '' })
  const [rows, setRows] = useState<(Exclude<StreamItem, LaggedItem> & { key: number })[]>([])
  // Messages the collector dropped because this page fell behind (collector/docs/live-events.md).
  const [skipped, setSkipped] = useState(0)
  const [paused, setPaused] = useState(false)
  const [open, setOpen] = useState<string>()
  const pausedRef = useRef(paused)
  pausedRef.current = paused
  const held = useRef<typeof rows>([])
  const counter = useRef(0)
  const add = useCallback((item: StreamItem) => {
    if (item.kind === 'lagged') return setSkipped((n) => n + item.dropped)
    const row = { ...item, key: counter.current++ }
    if (pausedRef.current) held.current = [row, ...held.current].slice(0, MAX_ROWS)
    else setRows((r) => [row, ...r].slice(0, MAX_ROWS))
  }, [])
  const status = useEventStream(streamQuery(filters), add)
  const sourceName = (id: string | null) => (id ? (sources.data?.data.find((s) => s.id === id)?.name ?? id) : 'Server (JWT)')
  const toggle = () => {
    if (paused) {
      const waiting = held.current
      held.current = []
      setRows((r) => [...waiting, ...r].slice(0, MAX_ROWS))
    }
    setPaused(!paused)
  }
  return (
    <section aria-labelledby="page-heading">
      <h1 id="page-heading">Live events</h1>
      <LiveFilters filters={filters} sources={sources.data?.data ?? []} onChange={setFilters} />
      {/* Only the connection is announced: a count changing with every event would drown a screen reader. */}
      <p role="status">
        {STATUS_TEXT[status.state]}
        {status.state === 'reconnecting' && ` (${status.reason})`}
        {paused && ' · paused: new events wait until you resume'}
        {skipped > 0 && ` · ${skipped} events skipped: this page fell behind the stream`}
      </p>
      <p class="muted">
        {rows.length} shown{rows.length >= MAX_ROWS && ` (the newest ${MAX_ROWS})`}
      </p>
      <div>
        <button type="button" onClick={toggle}>
          {paused ? 'Resume' : 'Pause'}
        </button>{' '}
        <button type="button" onClick={() => setRows([])}>
          Clear
        </button>
      </div>
      {status.state === 'failed' && <ErrorMessage error={status.error} />}
      {open && <EventDetail id={open} onClose={() => setOpen(undefined)} />}
      {rows.length === 0 ? (
        <p class="empty">No events yet. They appear here as soon as the collector accepts or rejects them.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Source</th>
              <th scope="col">Received</th>
              <th scope="col">EMQ</th>
              <th scope="col">Identifier types</th>
              <th scope="col">Warnings</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <td>
                  {row.kind === 'accepted' ? (
                    <button type="button" class="row-button" onClick={() => setOpen(row.event_id)}>
                      {row.event_name}
                    </button>
                  ) : (
                    (row.event_name ?? '—')
                  )}
                  {row.kind === 'accepted' && row.status === 'duplicate' && <span class="muted"> (duplicate)</span>}
                </td>
                <td>{sourceName(row.source_id)}</td>
                <td>{new Date(row.received_at).toLocaleTimeString()}</td>
                {row.kind === 'accepted' ? (
                  <>
                    <td>
                      <Band band={row.band} score={row.emq} />
                    </td>
                    <td>{row.identifier_types.join(', ') || 'none'}</td>
                    <td>{row.warnings.join(', ')}</td>
                  </>
                ) : (
                  <td colSpan={3}>
                    <strong>Rejected: {row.code}</strong> — {row.message}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
