import { formatScore } from './band'

/** The four EMQ factors and their ceilings (collector/docs/emq.md, "Formula"). */
const FACTORS = [
  { key: 'iq', label: 'Identifier quality', max: 40 },
  { key: 'dc', label: 'Data completeness', max: 25 },
  { key: 't', label: 'Timeliness', max: 20 },
  { key: 'cr', label: 'Context richness', max: 15 },
] as const

/**
 * An event's EMQ per factor, as a table of points against each ceiling.
 *
 * @example
 * <EmqBreakdown breakdown={{ iq: 24.44, dc: 15, t: 20, cr: 8 }} />
 */
export function EmqBreakdown({ breakdown }: { breakdown: Partial<Record<(typeof FACTORS)[number]['key'], number>> | null }) {
  if (!breakdown) return <p class="muted">No EMQ breakdown was stored for this event.</p>
  return (
    <table>
      <caption class="muted">EMQ breakdown</caption>
      <thead>
        <tr>
          <th scope="col">Factor</th>
          <th scope="col" class="num">Points</th>
          <th scope="col" class="num">Of</th>
        </tr>
      </thead>
      <tbody>
        {FACTORS.map((f) => (
          <tr key={f.key}>
            <th scope="row">{f.label}</th>
            <td class="num">{formatScore(breakdown[f.key])}</td>
            <td class="num">{f.max}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
