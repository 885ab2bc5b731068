import { useState } from 'preact/hooks'
import { api } from '../api'
import type { Source } from '../api-types'
import { npmUsage, parseOrigins, scriptTag } from '../source-types'
import { ErrorMessage } from '../states'

/**
 * One source: its key, the snippet ready to paste, the npm usage, and a form
 * for its allowed origins (`PATCH /sources/{id}`).
 *
 * @example
 * <SourceCard source={source} onSaved={reload} />
 */
export function SourceCard({ source, onSaved }: { source: Source; onSaved: (source: Source) => void }) {
  const [origins, setOrigins] = useState(source.allowed_origins.join('\n'))
  const [error, setError] = useState<Error>()
  const [saved, setSaved] = useState(false)
  const origin = window.location.origin
  const key = source.source_key
  const save = async (event: Event) => {
    event.preventDefault()
    setError(undefined)
    setSaved(false)
    try {
      const updated = await api<Source>(`/sources/${source.id}`, { method: 'PATCH', body: { allowed_origins: parseOrigins(origins) } })
      setSaved(true)
      onSaved(updated)
    } catch (e) {
      setError(e as Error)
    }
  }
  return (
    <article class="card" aria-labelledby={`source-${source.id}`}>
      <h3 id={`source-${source.id}`}>{source.name}</h3>
      <p class="muted">
        {source.source_type} · {source.trust} trust · created {new Date(source.created_at).toLocaleDateString()}
      </p>
      <p>
        Key: <code>{key ?? 'secret: shown only when created or rotated'}</code>
      </p>
      {key && source.trust === 'browser' && (
        <details>
          <summary>Install: script tag and npm</summary>
          <p>Paste into your site's &lt;head&gt;:</p>
          <pre>{scriptTag(origin, key)}</pre>
          <p>Or from npm, in a single-page app:</p>
          <pre>{npmUsage(origin, key)}</pre>
        </details>
      )}
      <form class="stack" onSubmit={save}>
        <label for={`origins-${source.id}`}>Allowed origins of {source.name}</label>
        <textarea id={`origins-${source.id}`} rows={3} value={origins} onInput={(e) => setOrigins(e.currentTarget.value)} />
        <span class="muted">One origin per line, e.g. https://www.shop.example. Browsers on other origins are refused.</span>
        <div>
          <button type="submit">Save origins</button>
        </div>
        {saved && (
          <p class="notice" role="status">
            Saved.
          </p>
        )}
        {error && <ErrorMessage error={error} />}
      </form>
    </article>
  )
}
