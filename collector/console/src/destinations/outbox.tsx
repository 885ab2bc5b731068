import { useState } from 'preact/hooks'
import { api } from '../api'
import type { Delivery } from '../api-types'
import { formatScore, formatTime } from '../components/band'
import { Empty, ErrorMessage, Loading } from '../states'
import { useApi } from '../use-api'

/** The held events of a destination (release or discard), or its dead letters (retry). */
const KINDS = {
  held: { path: 'held', list: 'events', title: 'Held events', moves: [{ path: 'held/release', label: 'Release' }, { path: 'held/discard', label: 'Discard' }] },
  dead: {
    path: 'deliveries?status=dead',
    list: 'deliveries',
    title: 'Dead letters',
    moves: [{ path: 'deliveries/retry', label: 'Retry' }],
  },
} as const

/**
 * A destination's held events or dead letters with the operator's moves
 * (`POST /destinations/{id}/held/release|discard`, `…/deliveries/retry`),
 * each event on its own or all of those shown (collector/docs/trust-engine.md).
 *
 * @example
 * <Outbox destination={d} kind="held" onMoved={reloadCounts} />
 */
export function Outbox({ destination, kind, onMoved }: { destination: { id: string; name: string }; kind: keyof typeof KINDS; onMoved: () => void }) {
  const spec = KINDS[kind]
  const { data, error, loading, reload } = useApi<Record<string, Delivery[]>>(`/destinations/${destination.id}/${spec.path}`)
  const [moveError, setMoveError] = useState<Error>()
  const [done, setDone] = useState<string>()
  const rows = data?.[spec.list] ?? []
  const move = async (path: string, label: string, ids: string[]) => {
    setMoveError(undefined)
    try {
      const { moved } = await api<{ moved: number }>(`/destinations/${destination.id}/${path}`, { method: 'POST', body: { event_ids: ids } })
      setDone(`${label}: ${moved} event(s).`)
      reload()
      onMoved()
    } catch (e) {
      setMoveError(e as Error)
    }
  }
  const headingId = `${kind}-${destination.id}`
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>
        {spec.title} of {destination.name}
      </h3>
      {done && (
        <p class="notice" role="status">
          {done}
        </p>
      )}
      {moveError && <ErrorMessage error={moveError} />}
      {error && <ErrorMessage error={error} retry={reload} />}
      {loading && <Loading what={spec.title.toLowerCase()} />}
      {data && rows.length === 0 && <Empty>None.</Empty>}
      {rows.length > 0 && (
        <>
          <p>
            {spec.moves.map((m) => (
              <button key={m.path} type="button" onClick={() => move(m.path, m.label, rows.map((r) => r.event_id))}>
                {m.label} all {rows.length}
              </button>
            ))}
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Time</th>
                <th scope="col" class="num">EMQ</th>
                <th scope="col">Reason</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.event_id}>
                  <td>{r.event_name}</td>
                  <td>{formatTime(r.event_time)}</td>
                  <td class="num">{formatScore(r.emq)}</td>
                  <td>{r.reason ?? '—'}</td>
                  <td>
                    {spec.moves.map((m) => (
                      <button key={m.path} type="button" aria-label={`${m.label} ${r.event_name} ${r.event_id}`} onClick={() => move(m.path, m.label, [r.event_id])}>
                        {m.label}
                      </button>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  )
}
