import { useState } from 'preact/hooks'
import type { Me, Profile, ProfileIdentifier } from '../api-types'
import { formatTime } from '../components/band'
import { Consent } from '../profile/consent'
import { ErasePerson } from '../profile/erase-person'
import { Journey } from '../profile/journey'
import { MergeHistory } from '../profile/merges'
import { inApp } from '../router'
import { ErrorMessage, Loading } from '../states'
import { useApi } from '../use-api'

const money = (amounts: Record<string, number>) =>
  Object.entries(amounts)
    .map(([currency, value]) => `${value.toLocaleString(undefined, { maximumFractionDigits: 2 })} ${currency}`)
    .join(', ') || '—'

const statusOf = (i: ProfileIdentifier) => (i.shared ? 'shared (not used to merge)' : i.role ? 'role mailbox (never merges)' : 'valid')

/**
 * One profile (`/console/profiles/:id`): lifecycle stage, aggregates,
 * identifiers, journey, merges and consent; admins may erase the person.
 *
 * @example
 * <ProfilePage id={id} me={me} />
 */
export default function ProfilePage({ id, me }: { id: string; me: Me }) {
  const { data, error, loading, reload } = useApi<Profile>(`/profiles/${encodeURIComponent(id)}`)
  const [erased, setErased] = useState<Record<string, number>>()
  if (erased) {
    return (
      <section aria-labelledby="page-heading">
        <h1 id="page-heading">Person erased</h1>
        <p class="notice" role="status">
          Erased {erased.profiles ?? 0} profile(s) and {erased.events ?? 0} event(s).
        </p>
        <a href="/console/profiles" onClick={inApp('/profiles')}>
          Back to profiles
        </a>
      </section>
    )
  }
  return (
    <section aria-labelledby="page-heading">
      <h1 id="page-heading">Profile</h1>
      {error && <ErrorMessage error={error} retry={reload} />}
      {loading && <Loading what="the profile" />}
      {data && (
        <>
          <p>
            <code>{data.id}</code>
            {data.requested_id && ` (${data.requested_id} was merged into it)`} · stage <strong>{data.lifecycle_stage}</strong>
            {data.marketing_denied && ' · marketing denied'}
          </p>
          <dl class="cards">
            {[
              ['Events', data.events_count],
              ['Sessions', data.sessions_count],
              ['Purchases (server-confirmed)', `${data.purchases_count} · ${money(data.revenue)}`],
              ['Purchases (browser-reported)', `${data.claimed_purchases_count} · ${money(data.claimed_revenue)}`],
              ['First seen', formatTime(data.first_seen_at)],
              ['Last seen', formatTime(data.last_seen_at)],
            ].map(([term, value]) => (
              <div class="card" key={term}>
                <dt class="muted">{term}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          <h2>Identifiers</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Value or hash</th>
                <th scope="col">Status</th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {data.identifiers.map((i) => (
                <tr key={`${i.type}:${i.hash}`}>
                  <td>{i.type}</td>
                  <td>
                    <code>{i.hash.length > 24 ? `${i.hash.slice(0, 16)}…` : i.hash}</code>
                  </td>
                  <td>{statusOf(i)}</td>
                  <td>{formatTime(i.last_seen_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Journey profileId={data.id} />
          <MergeHistory profileId={data.id} />
          <Consent profileId={data.id} />
          {me.scopes.includes('admin') && (
            <>
              <h2>Erasure</h2>
              <ErasePerson identifiers={data.identifiers} onErased={(counts) => setErased(counts)} />
            </>
          )}
        </>
      )}
      <p>
        <a href="/console/profiles" onClick={inApp('/profiles')}>
          Find another profile
        </a>
      </p>
    </section>
  )
}
