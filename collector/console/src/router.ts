import { useEffect, useState } from 'preact/hooks'

/** Where the console lives; every client route is under it (the collector serves index.html for them). */
export const BASE = '/console'

const listeners = new Set<() => void>()

/**
 * Goes to a console path (`/live`, `/profiles/…`) without reloading.
 *
 * @example
 * navigate('/profiles/0b7c…')
 */
export function navigate(path: string): void {
  window.history.pushState(null, '', BASE + path)
  for (const listener of listeners) listener()
  window.scrollTo(0, 0)
}

/** The current path inside the console: `/`, `/live`, `/profiles/abc`. */
function currentPath(): string {
  const path = window.location.pathname.slice(BASE.length) || '/'
  return path.length > 1 ? path.replace(/\/$/, '') : path
}

/**
 * The current console path, re-rendering on navigation and on back/forward.
 *
 * @example
 * const path = usePath()
 */
export function usePath(): string {
  const [path, setPath] = useState(currentPath)
  useEffect(() => {
    const update = () => setPath(currentPath())
    listeners.add(update)
    window.addEventListener('popstate', update)
    return () => {
      listeners.delete(update)
      window.removeEventListener('popstate', update)
    }
  }, [])
  return path
}

/**
 * A click handler for in-app links: plain clicks navigate in place, modified
 * clicks (new tab, new window) keep the browser's behaviour.
 *
 * @example
 * <a href="/console/live" onClick={inApp('/live')}>Live events</a>
 */
export function inApp(path: string) {
  return (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    navigate(path)
  }
}
