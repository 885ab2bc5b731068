import { useState } from 'preact/hooks'
import { api } from '../api'
import type { Source } from '../api-types'
import { parseOrigins } from '../source-types'
import { Empty, ErrorMessage, Loading } from '../states'
import { useApi } from '../use-api'
import { SourceCard } from './source-card'

const TYPES = ['website', 'server', 'crm', 'mobile'] as const

/** The form that creates a source (`POST /sources`). */
function CreateSource({ onCreated }: { onCreated: (source: Source) => void }) {
  const [name, setName] = useState('')
  const [type, setType] = useState<(typeof TYPES)[number]>('website')
  const [origins, setOrigins] = useState('')
  const [error, setError] = useState<Error>()
  const [busy, setBusy] = useState(false)
  const submit = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const created = await api<Source>('/sources', {
        method: 'POST',
        body: { name: name.trim(), source_type: type, allowed_origins: parseOrigins(origins) },
      })
      setName('')
      setOrigins('')
      onCreated(created)
    } catch (e) {
      setError(e as Error)
    } finally {
      setBusy(false)
    }
  }
  return (
    <form class="stack" onSubmit={submit} aria-labelledby="create-source">
      <h2 id="create-source">Create a source</h2>
      <label for="source-name">Name</label>
      <input id="source-name" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <label for="source-type">Type</label>
      <select id="source-type" value={type} onChange={(e) => setType(e.currentTarget.value as (typeof TYPES)[number])}>
        {TYPES.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
      <label for="source-origins">Allowed origins</label>
      <textarea id="source-origins" rows={2} value={origins} onInput={(e) => setOrigins(e.currentTarget.value)} />
      <span class="muted">For a website: the origins its pages are served from, one per line.</span>
      <div>
        <button type="submit" class="primary" disabled={busy}>
          Create source
        </button>
      </div>
      {error && <ErrorMessage error={error} />}
    </form>
  )
}

/**
 * Sources (`/console/sources`): every source with its key, snippet and
 * allowed origins, and a form to create one (`GET/POST /sources`,
 * `PATCH /sources/{id}`).
 *
 * @example
 * <Sources />
 */
export default function Sources() {
  const { data, error, loading, reload } = useApi<{ data: Source[] }>('/sources')
  const [created, setCreated] = useState<Source>()
  return (
    <section aria-labelledby="page-heading">
      <h1 id="page-heading">Sources</h1>
      {created && (
        <p class="notice" role="status">
          Created {created.name}. Its key: <code>{created.source_key}</code>
          {created.trust === 'server' && ' — a secret key, shown only now: store it.'}
        </p>
      )}
      {error && <ErrorMessage error={error} retry={reload} />}
      {loading && !data && <Loading what="sources" />}
      {data &&
        (data.data.length === 0 ? (
          <Empty>No source yet: create one below, then paste its snippet into your site.</Empty>
        ) : (
          <div class="cards">
            {data.data.map((s) => (
              <SourceCard key={s.id} source={s} onSaved={reload} />
            ))}
          </div>
        ))}
      <CreateSource
        onCreated={(source) => {
          setCreated(source)
          reload()
        }}
      />
    </section>
  )
}
