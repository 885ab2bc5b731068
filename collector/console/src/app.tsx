import { useEffect, useRef } from 'preact/hooks'
import type { Me } from './api-types'
import { LazyPage } from './lazy-page'
import { SignalHealth } from './pages/signal-health'
import { BASE, inApp, usePath } from './router'
import { SignIn } from './sign-in'
import { Loading } from './states'
import { useSession } from './use-session'

/** The navigation: every page, in this order. */
const PAGES = [
  { path: '/', label: 'Signal health' },
  { path: '/live', label: 'Live events' },
  { path: '/profiles', label: 'Profiles' },
  { path: '/sources', label: 'Sources' },
  { path: '/destinations', label: 'Destinations' },
  { path: '/roi', label: 'ROI calculator' },
] as const

// Each page but Signal health is its own chunk, fetched on first visit.
const loadLive = () => import('./pages/live-events')
const loadProfiles = () => import('./pages/profiles')
const loadProfile = () => import('./pages/profile')
const loadSources = () => import('./pages/sources')
const loadDestinations = () => import('./pages/destinations')
const loadRoi = () => import('./pages/roi')

/** The page at `path`. */
function Page({ path, me }: { path: string; me: Me }) {
  if (path === '/') return <SignalHealth />
  if (path === '/live') return <LazyPage key={path} load={loadLive} props={{}} />
  if (path === '/profiles') return <LazyPage key={path} load={loadProfiles} props={{}} />
  const profile = /^\/profiles\/([^/]+)$/.exec(path)?.[1]
  if (profile) return <LazyPage key={path} load={loadProfile} props={{ id: decodeURIComponent(profile), me }} />
  if (path === '/sources') return <LazyPage key={path} load={loadSources} props={{}} />
  if (path === '/destinations') return <LazyPage key={path} load={loadDestinations} props={{}} />
  if (path === '/roi') return <LazyPage key={path} load={loadRoi} props={{}} />
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is no console page at <code>{BASE + path}</code>.
      </p>
    </section>
  )
}

/**
 * The console's shell: a skip link, the header with who is signed in, the
 * navigation landmark and the current page; sign-in until `GET /me` accepts
 * the token.
 *
 * @example
 * render(<App />, document.getElementById('app')!)
 */
export function App() {
  const { session, signIn, signOut, retry } = useSession()
  const path = usePath()
  const main = useRef<HTMLElement>(null)
  const first = useRef(true)
  // After an in-app navigation, focus goes to the new page (as a page load would).
  useEffect(() => {
    if (first.current) first.current = false
    else main.current?.focus()
  }, [path])
  const current = PAGES.find((p) => p.path === path || (p.path !== '/' && path.startsWith(`${p.path}/`)))
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Stratum console</span>
        {session.state === 'signed-in' && (
          <div class="who">
            <span>
              Tenant <strong>{session.me.tenant_name}</strong>
            </span>
            <span class="scopes">Scopes: {session.me.scopes.join(', ')}</span>
            <button type="button" onClick={signOut}>
              Sign out
            </button>
          </div>
        )}
      </header>
      {session.state === 'signed-in' && (
        <nav aria-label="Console">
          <ul>
            {PAGES.map((p) => (
              <li key={p.path}>
                <a href={BASE + (p.path === '/' ? '/' : p.path)} onClick={inApp(p.path)} aria-current={current === p ? 'page' : undefined}>
                  {p.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <main id="main" ref={main} tabIndex={-1}>
        {session.state === 'signed-in' && <Page path={path} me={session.me} />}
        {session.state === 'checking' && <Loading what="your session" />}
        {session.state === 'signed-out' && <SignIn onSubmit={signIn} message={session.message} />}
        {session.state === 'unavailable' && (
          <div class="error" role="alert">
            <p>{session.message}</p>
            <button type="button" onClick={retry}>
              Retry
            </button>
          </div>
        )}
      </main>
    </>
  )
}
