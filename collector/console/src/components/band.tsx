/** An EMQ band, as the collector names it (collector/docs/emq.md). */
export type BandName = 'excellent' | 'good' | 'fair' | 'poor'

/**
 * A band as a coloured badge whose text names it: colour is never the only signal.
 *
 * @example
 * <Band band="good" score={71.2} />
 */
export function Band({ band, score }: { band: BandName | null | undefined; score?: number | null }) {
  const text = band ?? 'no events'
  return (
    <span class={`band band-${band ?? 'none'}`}>
      {score != null ? `${formatScore(score)} ` : ''}
      {text}
    </span>
  )
}

/**
 * An EMQ score with one decimal, or an em dash.
 *
 * @example
 * formatScore(71.234) // '71.2'
 */
export function formatScore(score: number | null | undefined): string {
  return score == null ? '—' : score.toFixed(1)
}

/**
 * A date-time in the reader's locale.
 *
 * @example
 * formatTime('2026-11-30T10:00:00Z')
 */
export function formatTime(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—'
}
