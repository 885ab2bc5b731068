import { useState } from 'preact/hooks'
import type { Source } from '../api-types'
import type { Filters } from '../stream-query'

/**
 * The filter form of Live events; the event name applies on "Apply filters"
 * (or Enter), so typing does not reconnect the stream at each key.
 *
 * @example
 * <LiveFilters filters={filters} sources={sources} onChange={setFilters} />
 */
export function LiveFilters({ filters, sources, onChange }: { filters: Filters; sources: Source[]; onChange: (f: Filters) => void }) {
  const [name, setName] = useState(filters.eventName)
  return (
    <form
      class="fields"
      onSubmit={(event) => {
        event.preventDefault()
        onChange({ ...filters, eventName: name })
      }}
    >
      <div>
        <label for="filter-source">Source</label>
        <select id="filter-source" value={filters.source} onChange={(e) => onChange({ ...filters, source: e.currentTarget.value })}>
          <option value="">All sources</option>
          <option value="server">Server (JWT)</option>
          {sources.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="filter-name">Event name</label>
        <input id="filter-name" value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="e.g. Purchase" />
      </div>
      <div>
        <label for="filter-band">Band</label>
        <select id="filter-band" value={filters.band} onChange={(e) => onChange({ ...filters, band: e.currentTarget.value })}>
          <option value="">All bands</option>
          {['excellent', 'good', 'fair', 'poor'].map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
      </div>
      <div>
        <button type="submit">Apply filters</button>
      </div>
    </form>
  )
}
