import { createStratumCore } from '../create-stratum'
import { currentPageContext } from '../events/page-context'
import { guard } from '../safe'
import { createCallDispatcher } from './call-dispatcher'
import { loadChunk } from './chunk-loader'
import { replayQueuedCalls } from './snippet-queue'

/** The global `stratum(method, …args)` function, as the snippet's stub or as the loaded pixel. */
type StratumGlobal = ((...args: unknown[]) => unknown) & { q?: unknown; loaded?: true }

declare global {
  interface Window {
    stratum?: StratumGlobal
  }
}

/**
 * Entry of `dist/stratum.min.js`. Replaces the snippet's stub with the real
 * `stratum()` and replays the stub's queue in order, each call with the page
 * it was made on. Without the snippet (a plain `<script src>`), `stratum()`
 * starts working once this file ran, and `data-source-key` /
 * `data-endpoint` / `data-path` attributes on the script element initialise
 * it with no inline JavaScript — the way to use the pixel under a strict CSP.
 * The endpoint defaults to the origin the script was served from.
 *
 * @example
 * <script async src="https://collect.shop.example/stratum.min.js" data-source-key="sk_…"></script>
 */
function start(): void {
  const stub = window.stratum
  if (stub?.loaded) return
  const script = document.currentScript as HTMLScriptElement | null
  const scriptOrigin = script?.src ? new URL(script.src).origin : location.origin
  const dispatch = createCallDispatcher((options, page) =>
    createStratumCore(
      { ...options, endpoint: options.endpoint || scriptOrigin },
      {
        identity: () => loadChunk(script, 'stratum-identity.min.js', 'stratumIdentity'),
        visitorId: () => loadChunk(script, 'stratum-device.min.js', 'stratumDevice').then((visitorId) => visitorId()),
      },
      page,
    ),
  )
  const stratum: StratumGlobal = guard((...args: unknown[]) => dispatch(args, currentPageContext()))
  stratum.loaded = true
  window.stratum = stratum
  const data = script?.dataset
  if (data?.sourceKey) {
    const init = { sourceKey: data.sourceKey, endpoint: data.endpoint || scriptOrigin, path: data.path }
    dispatch(['init', init], currentPageContext())
  }
  replayQueuedCalls(stub?.q, dispatch)
}

guard(start)()
