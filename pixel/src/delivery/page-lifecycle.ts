import { guard } from '../safe'
import type { Delivery } from './delivery'

/**
 * Connects delivery to the page's lifecycle: `pagehide` and
 * `visibilitychange` to hidden (the last event mobile browsers reliably fire
 * before killing a tab) flush what is left by keepalive fetch or
 * `sendBeacon`; `online` ends the offline pause and retries at once.
 *
 * @example
 * watchPageLifecycle(window, delivery)
 */
export function watchPageLifecycle(win: Window, delivery: Delivery): void {
  const hidden = guard(delivery.flushOnUnload)
  win.addEventListener('pagehide', hidden)
  win.document.addEventListener('visibilitychange', () => win.document.visibilityState === 'hidden' && hidden())
  win.addEventListener('online', guard(delivery.resume))
}
