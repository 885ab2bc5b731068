/**
 * Loads a script-tag chunk that sits beside the core (`file` resolved against
 * the core's own URL) and resolves with what it put on `window[global]`. The
 * new script element copies the core's CSP nonce, so nonce-based policies
 * allow it; `script-src 'self'` allows it when both are served first-party.
 *
 * @example
 * const identity = await loadChunk(document.currentScript, 'stratum-identity.min.js', 'stratumIdentity')
 */
export function loadChunk<K extends 'stratumIdentity' | 'stratumDevice'>(
  core: HTMLScriptElement | null,
  file: string,
  global: K,
): Promise<NonNullable<Window[K]>> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script')
    script.src = new URL(file, core?.src || location.href).href
    script.nonce = core?.nonce || ''
    script.onload = () => {
      const loaded = window[global]
      loaded ? resolve(loaded) : reject(new Error(`${file} did not load`))
    }
    script.onerror = reject
    document.head.appendChild(script)
  })
}
