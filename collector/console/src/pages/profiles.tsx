import { useState } from 'preact/hooks'
import { type LookupKind, findProfile } from '../find-profile'
import { navigate } from '../router'
import { ErrorMessage } from '../states'

const KINDS: { value: LookupKind; label: string }[] = [
  { value: 'auto', label: 'Detect from the value' },
  { value: 'email', label: 'Email' },
  { value: 'phone', label: 'Phone' },
  { value: 'external_id', label: 'External id' },
  { value: 'anonymous_id', label: 'Anonymous id' },
  { value: 'device_id', label: 'Device id' },
  { value: 'profile_id', label: 'Profile id' },
]

/**
 * Profiles (`/console/profiles`): find a person by a raw email or phone
 * (hashed in the browser), an external id, an anonymous id or a profile id.
 *
 * @example
 * <Profiles />
 */
export default function Profiles() {
  const [value, setValue] = useState('')
  const [kind, setKind] = useState<LookupKind>('auto')
  const [state, setState] = useState<{ busy?: boolean; missing?: boolean; error?: Error }>({})
  const search = async (event: Event) => {
    event.preventDefault()
    setState({ busy: true })
    try {
      const id = await findProfile(kind, value)
      if (id) navigate(`/profiles/${id}`)
      else setState({ missing: true })
    } catch (error) {
      setState({ error: error as Error })
    }
  }
  return (
    <section aria-labelledby="page-heading">
      <h1 id="page-heading">Profiles</h1>
      <form class="fields" onSubmit={search}>
        <div>
          <label for="lookup-value">Identifier</label>
          <input
            id="lookup-value"
            required
            size={40}
            autocomplete="off"
            value={value}
            onInput={(e) => setValue(e.currentTarget.value)}
            aria-describedby="lookup-help"
          />
        </div>
        <div>
          <label for="lookup-kind">Identifier type</label>
          <select id="lookup-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as LookupKind)}>
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <button type="submit" class="primary" disabled={state.busy}>
            Find profile
          </button>
        </div>
      </form>
      <p id="lookup-help" class="muted">
        An email or phone number is normalised and hashed (SHA-256) in this browser: only the hash is sent to the collector.
      </p>
      {state.busy && (
        <p role="status" class="muted">
          Searching…
        </p>
      )}
      {state.missing && (
        <p role="status" class="empty">
          No profile carries that identifier.
        </p>
      )}
      {state.error && <ErrorMessage error={state.error} />}
    </section>
  )
}
