/** A page of the app. */
export interface Route {
  /** The document title while the page is shown. */
  title: string
  render(view: HTMLElement, url: URL): void
}

/** Navigates without a page load. */
export interface Router {
  navigate(path: string): void
}

/**
 * A tiny client-side router. Same-origin link clicks become
 * `history.pushState`; back and forward re-render. Each navigation sets the
 * title and renders the page *before* `pushState`, because the pixel records
 * its automatic page view inside `pushState` and reads the title then.
 * Navigating to the URL already shown does nothing: no history entry, no
 * page view.
 *
 * @example
 * const router = createRouter(document.querySelector('main')!, { '/': home, '/pricing': pricing }, notFound)
 * router.navigate('/pricing')
 */
export function createRouter(view: HTMLElement, routes: Record<string, Route>, notFound: Route): Router {
  const enter = (url: URL) => {
    const route = routes[url.pathname] ?? notFound
    document.title = `${route.title} — Lumen Notes`
    route.render(view, url)
  }
  const navigate = (path: string) => {
    const url = new URL(path, location.href)
    if (url.href === location.href) return
    enter(url)
    history.pushState(null, '', url)
  }
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a') : null
    const plainClick = event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey
    if (!link || link.origin !== location.origin || link.target || !plainClick || event.defaultPrevented) return
    event.preventDefault()
    navigate(link.href)
  })
  window.addEventListener('popstate', () => enter(new URL(location.href)))
  enter(new URL(location.href))
  return { navigate }
}
