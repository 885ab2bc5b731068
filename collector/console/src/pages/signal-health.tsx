import { Band, formatScore } from '../components/band'
import type { EmqReport, EmqWindow, MissingField, TrustReport } from '../api-types'
import { Empty, ErrorMessage, Loading } from '../states'
import { useApi } from '../use-api'
import { EmqChart } from './emq-chart'

/**
 * A missing-field gain in words: "add `phone`: +9.4 EMQ on 62 % of Purchase events".
 *
 * @example
 * describeGain({ field: 'phone', gain: 9.4, missing_share: 0.62, event_name: 'Purchase', … })
 */
export function describeGain(m: MissingField): string {
  return `add ${m.field}: +${m.gain.toFixed(1)} EMQ on ${Math.round(m.missing_share * 100)} % of ${m.event_name} events`
}

const BANDS = ['excellent', 'good', 'fair', 'poor'] as const

/** The band distribution of a window, as a table with shares. */
function BandDistribution({ window }: { window: EmqWindow }) {
  return (
    <table>
      <caption class="muted">Events per band, last 7 days</caption>
      <thead>
        <tr>
          <th scope="col">Band</th>
          <th scope="col" class="num">Events</th>
          <th scope="col" class="num">Share</th>
        </tr>
      </thead>
      <tbody>
        {BANDS.map((band) => (
          <tr key={band}>
            <td>
              <Band band={band} />
            </td>
            <td class="num">{window.bands[band]}</td>
            <td class="num">{window.events ? `${Math.round((window.bands[band] / window.events) * 100)} %` : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/**
 * Signal health (`/console/`): per source mean EMQ over 24 h and 7 d with band
 * and automation level, the hourly chart, the band distribution and the
 * missing fields worth adding (`GET /emq`, `GET /trust`, `GET /emq/series`).
 *
 * @example
 * <SignalHealth />
 */
export function SignalHealth() {
  const emq = useApi<EmqReport>('/emq')
  const trust = useApi<TrustReport>('/trust')
  const levelOf = (id: string | null) => trust.data?.sources.find((s) => s.source_id === id)
  return (
    <section aria-labelledby="page-heading">
      <h1 id="page-heading">Signal health</h1>
      {emq.error && <ErrorMessage error={emq.error} retry={emq.reload} />}
      {emq.loading && <Loading what="signal health" />}
      {emq.data && (
        <>
          <h2>Sources</h2>
          {emq.data.sources.length === 0 ? (
            <Empty>No source has sent events yet. Create one under Sources and paste its snippet into your site.</Empty>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Source</th>
                  <th scope="col" class="num">Events 24 h</th>
                  <th scope="col">Mean EMQ 24 h</th>
                  <th scope="col" class="num">Events 7 d</th>
                  <th scope="col">Mean EMQ 7 d</th>
                  <th scope="col">Automation level</th>
                </tr>
              </thead>
              <tbody>
                {emq.data.sources.map((s) => (
                  <tr key={s.source_id ?? 'server'}>
                    <th scope="row">{s.name ?? 'Server (JWT)'}</th>
                    <td class="num">{s.windows['24h'].events}</td>
                    <td>
                      <Band band={s.windows['24h'].band} score={s.windows['24h'].mean_emq} />
                    </td>
                    <td class="num">{s.windows['7d'].events}</td>
                    <td>
                      <Band band={s.windows['7d'].band} score={s.windows['7d'].mean_emq} />
                    </td>
                    <td>
                      {levelOf(s.source_id)?.level ?? s.windows['24h'].automation}
                      {levelOf(s.source_id)?.reasons[0] && <div class="muted">{levelOf(s.source_id)?.reasons[0]}</div>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>Over time</h2>
          <EmqChart />
          <h2>Band distribution</h2>
          <p>
            Tenant mean EMQ over 7 days: <Band band={emq.data.tenant.windows['7d'].band} score={emq.data.tenant.windows['7d'].mean_emq} />
          </p>
          <BandDistribution window={emq.data.tenant.windows['7d']} />
          <h2>Top missing fields</h2>
          {emq.data.tenant.windows['7d'].events === 0 ? (
            <Empty>No events in the last 7 days: gains are measured on the events you send.</Empty>
          ) : emq.data.tenant.windows['7d'].missing_fields.top.length === 0 ? (
            <Empty>Nothing to add: no missing field would raise the mean EMQ.</Empty>
          ) : (
            <ul>
              {emq.data.tenant.windows['7d'].missing_fields.top.map((m) => (
                <li key={`${m.event_name}/${m.field}`}>
                  <strong>{describeGain(m)}</strong> <span class="muted">({formatScore(m.gain)} on {m.missing} of {m.events} events)</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  )
}
