import { useEffect, useRef } from 'preact/hooks'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { formatScore } from '../components/band'
import type { EmqSeries } from '../api-types'
import { ErrorMessage, Loading } from '../states'
import { useApi } from '../use-api'

const CHART_NAME = 'Events per hour and mean EMQ over the last 24 hours'

/** Draws the series with uPlot into `host`; returns the plot to destroy. */
function draw(host: HTMLElement, series: EmqSeries): uPlot {
  const x = series.points.map((p) => Date.parse(p.start) / 1000)
  const events = series.points.map((p) => p.events)
  const emq = series.points.map((p) => p.mean_emq)
  return new uPlot(
    {
      width: Math.max(320, host.clientWidth),
      height: 260,
      // The table below is the accessible alternative; uPlot's hover legend would only repeat it.
      legend: { show: false },
      scales: { events: {}, emq: { range: [0, 100] } },
      series: [
        {},
        { label: 'Events', scale: 'events', stroke: '#0a5bd3', fill: 'rgba(10, 91, 211, 0.12)', width: 2 },
        { label: 'Mean EMQ', scale: 'emq', stroke: '#9a6700', width: 2, spanGaps: false },
      ],
      axes: [{}, { scale: 'events', label: 'Events' }, { scale: 'emq', side: 1, label: 'Mean EMQ', grid: { show: false } }],
    },
    [x, events, emq],
    host,
  )
}

/**
 * The signal-health chart: events per hour and mean EMQ (`GET /emq/series`),
 * named for assistive technology, with the same numbers as a table.
 *
 * @example
 * <EmqChart />
 */
export function EmqChart() {
  const { data, error, loading, reload } = useApi<EmqSeries>('/emq/series?bucket=hour')
  const host = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!data || !host.current) return
    const plot = draw(host.current, data)
    return () => plot.destroy()
  }, [data])
  if (error) return <ErrorMessage error={error} retry={reload} />
  if (loading || !data) return <Loading what="the chart" />
  return (
    <figure class="chart">
      <div ref={host} role="img" aria-label={CHART_NAME} />
      <figcaption>
        {CHART_NAME} (hourly buckets, your local time).
        {data.points.every((p) => p.events === 0) && ' No events in this window yet.'}
      </figcaption>
      <details>
        <summary>The chart as a table</summary>
        <table>
          <caption class="muted">{CHART_NAME}</caption>
          <thead>
            <tr>
              <th scope="col">Hour starting</th>
              <th scope="col" class="num">
                Events
              </th>
              <th scope="col" class="num">
                Mean EMQ
              </th>
            </tr>
          </thead>
          <tbody>
            {data.points.map((p) => (
              <tr key={p.start}>
                <td>{new Date(p.start).toLocaleString()}</td>
                <td class="num">{p.events}</td>
                <td class="num">{formatScore(p.mean_emq)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  )
}
