import type { MergeHistory as Merges } from '../api-types'
import { formatTime } from '../components/band'
import { Empty, ErrorMessage, Loading } from '../states'
import { useApi } from '../use-api'

/**
 * A profile's merge history and the merges the resolver stopped
 * (collector/docs/identity-resolution.md).
 *
 * @example
 * <MergeHistory profileId={id} />
 */
export function MergeHistory({ profileId }: { profileId: string }) {
  const { data, error, loading, reload } = useApi<Merges>(`/profiles/${profileId}/merges`)
  return (
    <section aria-labelledby="merges">
      <h2 id="merges">Merges</h2>
      {error && <ErrorMessage error={error} retry={reload} />}
      {loading && <Loading what="merges" />}
      {data && data.merges.length === 0 && <Empty>No profile was merged into or from this one.</Empty>}
      {data && data.merges.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Kept</th>
              <th scope="col">Merged away</th>
              <th scope="col">Rule</th>
              <th scope="col">Through</th>
            </tr>
          </thead>
          <tbody>
            {data.merges.map((m) => (
              <tr key={`${m.loser_id}-${m.merged_at}`}>
                <td>{formatTime(m.merged_at)}</td>
                <td>
                  <code>{m.winner_id}</code>
                </td>
                <td>
                  <code>{m.loser_id}</code>
                </td>
                <td>{m.rule}</td>
                <td>{m.identifier_type ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && data.stopped.length > 0 && (
        <>
          <h3>Stopped merges</h3>
          <ul>
            {data.stopped.map((s) => (
              <li key={s.event_id}>
                {s.event_name} at {formatTime(s.event_time)}: merge blocked by rule {s.rule}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
