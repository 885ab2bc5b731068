import { useState } from 'preact/hooks'
import { Outbox } from '../destinations/outbox'
import type { Destination, TrustDestination, TrustReport } from '../api-types'
import { Empty, ErrorMessage, Loading } from '../states'
import { useApi } from '../use-api'

const COUNTS = ['pending', 'delivered', 'held', 'dead'] as const

/** A destination's counts over every source, and the levels it applies (one per source). */
function totals(trust: TrustReport | undefined, id: string) {
  const rows: TrustDestination[] = trust?.sources.flatMap((s) => s.destinations.filter((d) => d.destination_id === id)) ?? []
  const sum = Object.fromEntries(COUNTS.map((k) => [k, rows.reduce((n, d) => n + d[k], 0)])) as Record<(typeof COUNTS)[number], number>
  const levels = [...new Set(trust?.sources.flatMap((s) => s.destinations.filter((d) => d.destination_id === id).map((d) => `${d.level} (${s.name})`)) ?? [])]
  return { ...sum, levels }
}

/**
 * Destinations (`/console/destinations`): each destination with its level per
 * source and its delivered, held and dead counts (`GET /destinations`,
 * `GET /trust`); held events can be released or discarded and dead letters
 * retried.
 *
 * @example
 * <Destinations />
 */
export default function Destinations() {
  const list = useApi<{ data: Destination[] }>('/destinations')
  const trust = useApi<TrustReport>('/trust')
  const [open, setOpen] = useState<{ id: string; kind: 'held' | 'dead' }>()
  return (
    <section aria-labelledby="page-heading">
      <h1 id="page-heading">Destinations</h1>
      {list.error && <ErrorMessage error={list.error} retry={list.reload} />}
      {trust.error && <ErrorMessage error={trust.error} retry={trust.reload} />}
      {list.loading && <Loading what="destinations" />}
      {list.data && list.data.data.length === 0 && (
        <Empty>No destination yet. Create one with POST /api/v1/cdp/destinations (see the API docs at /docs).</Empty>
      )}
      {list.data && list.data.data.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Destination</th>
              <th scope="col">Level per source (24 h)</th>
              {COUNTS.map((k) => (
                <th scope="col" class="num" key={k}>
                  {k[0]?.toUpperCase() + k.slice(1)}
                </th>
              ))}
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.data.data.map((d) => {
              const t = totals(trust.data, d.id)
              return (
                <tr key={d.id}>
                  <th scope="row">
                    {d.name} <span class="muted">({d.type}{d.enabled ? '' : ', disabled'}{d.circuit.open_until ? ', circuit open' : ''})</span>
                  </th>
                  <td>{t.levels.join(', ') || '—'}</td>
                  {COUNTS.map((k) => (
                    <td class="num" key={k}>
                      {t[k]}
                    </td>
                  ))}
                  <td>
                    <button type="button" onClick={() => setOpen({ id: d.id, kind: 'held' })}>
                      Held events of {d.name}
                    </button>{' '}
                    <button type="button" onClick={() => setOpen({ id: d.id, kind: 'dead' })}>
                      Dead letters of {d.name}
                    </button>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      {open && list.data && (
        <Outbox
          key={`${open.kind}-${open.id}`}
          destination={list.data.data.find((d) => d.id === open.id) ?? { id: open.id, name: open.id }}
          kind={open.kind}
          onMoved={trust.reload}
        />
      )}
    </section>
  )
}
