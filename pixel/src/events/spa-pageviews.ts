import { guard } from '../safe'

/**
 * Decides whether a URL deserves a new PageView.
 *
 * @example
 * if (pages.next(location.href)) page()
 */
export interface PageviewDeduper {
  /** `true` (and remembers `url`) unless `url` is the last page viewed; `force` always says yes. */
  next(url: string, force?: boolean): boolean
  /** The last page viewed, to serve as the referrer of the next SPA page view. */
  last(): string | undefined
}

/**
 * Deduplicates page views by URL: SPA routers call `replaceState` for
 * scroll positions and fire `popstate` and `hashchange` for one navigation,
 * which must count once. A bfcache restore forces a view — it is a new visit
 * to the same URL.
 *
 * @example
 * const pages = createPageviewDeduper()
 * pages.next('/a') // true
 * pages.next('/a') // false
 * pages.next('/a', true) // true
 */
export function createPageviewDeduper(): PageviewDeduper {
  let last: string | undefined
  return {
    next(url, force) {
      if (url === last && !force) return false
      last = url
      return true
    },
    last: () => last,
  }
}

/**
 * Calls `onNavigate` after every client-side navigation: `pushState` and
 * `replaceState` (wrapped, keeping their behaviour and return value),
 * `popstate`, `hashchange`, and `pageshow` from the back/forward cache
 * (`restored: true`).
 *
 * @example
 * watchNavigations(window, (restored) => { if (pages.next(location.href, restored)) stratum.page() })
 */
export function watchNavigations(win: Window, onNavigate: (restored: boolean) => void): void {
  const notify = guard(onNavigate)
  const history = win.history
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method]
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args)
      notify(false)
      return result
    }
  }
  win.addEventListener('popstate', () => notify(false))
  win.addEventListener('hashchange', () => notify(false))
  win.addEventListener('pageshow', (event) => event.persisted && notify(true))
}
