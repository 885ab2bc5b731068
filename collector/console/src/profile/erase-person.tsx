import { IDENTIFIER_TYPES } from '@stratum/pixel/identity'
import { useRef, useState } from 'preact/hooks'
import { api } from '../api'
import type { ErasureResult, ProfileIdentifier } from '../api-types'
import { ErrorMessage } from '../states'

/**
 * The "Erase this person" button (admins) and its confirmation dialog. It
 * erases through the profile's strongest identifier, sent as stored (already
 * hashed for email and phone): `POST /erasure` reaches every profile linked
 * to it (collector/docs/privacy.md).
 *
 * @example
 * <ErasePerson identifiers={profile.identifiers} onErased={(counts) => setErased(counts)} />
 */
export function ErasePerson({ identifiers, onErased }: { identifiers: ProfileIdentifier[]; onErased: (counts: Record<string, number>) => void }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const [error, setError] = useState<Error>()
  const [busy, setBusy] = useState(false)
  const key = IDENTIFIER_TYPES.map((type) => identifiers.find((i) => i.type === type && !i.shared)).find(Boolean)
  if (!key) return null
  const erase = async () => {
    setBusy(true)
    setError(undefined)
    try {
      const result = await api<ErasureResult>('/erasure', { method: 'POST', body: { identifier_type: key.type, identifier_value: key.hash } })
      dialog.current?.close()
      onErased(result.counts)
    } catch (e) {
      setError(e as Error)
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <button type="button" class="danger" onClick={() => dialog.current?.showModal()}>
        Erase this person
      </button>
      <dialog ref={dialog} aria-labelledby="erase-title" aria-describedby="erase-text">
        <h2 id="erase-title">Erase this person?</h2>
        <p id="erase-text">
          Every profile linked to their {key.type}, with all its events, identifiers, sessions and consent, is deleted, and later events
          carrying their identifiers are dropped. This cannot be undone; an audit row without personal data is kept.
        </p>
        {error && <ErrorMessage error={error} />}
        <div>
          <button type="button" class="danger" onClick={erase} disabled={busy}>
            Erase permanently
          </button>{' '}
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </dialog>
    </>
  )
}
