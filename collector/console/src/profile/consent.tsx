import type { ConsentView } from '../api-types'
import { formatTime } from '../components/band'
import { Empty, ErrorMessage, Loading } from '../states'
import { useApi } from '../use-api'

const word = (granted: boolean) => (granted ? 'granted' : 'denied')

/**
 * A profile's consent: the current state per purpose and its history.
 *
 * @example
 * <Consent profileId={id} />
 */
export function Consent({ profileId }: { profileId: string }) {
  const { data, error, loading, reload } = useApi<ConsentView>(`/profiles/${profileId}/consent`)
  const purposes = Object.entries(data?.state ?? {})
  return (
    <section aria-labelledby="consent">
      <h2 id="consent">Consent</h2>
      {error && <ErrorMessage error={error} retry={reload} />}
      {loading && <Loading what="consent" />}
      {data && purposes.length === 0 && <Empty>No consent was recorded for this person.</Empty>}
      {purposes.length > 0 && (
        <ul>
          {purposes.map(([purpose, entry]) => (
            <li key={purpose}>
              <strong>{purpose}</strong>: {word(entry.granted)} since {formatTime(entry.recorded_at)}
              {entry.policy_version && ` (policy ${entry.policy_version})`}
            </li>
          ))}
        </ul>
      )}
      {data && data.history.length > 0 && (
        <details>
          <summary>History ({data.history.length})</summary>
          <ol>
            {data.history.map((h) => (
              <li key={`${h.purpose}-${h.recorded_at}`}>
                {formatTime(h.recorded_at)}: {h.purpose} {word(h.granted)}
              </li>
            ))}
          </ol>
        </details>
      )}
    </section>
  )
}
