import { createStratum } from '@stratum/pixel'
import type { App } from './app'
import { features, home, notFound } from './pages/content-pages'
import { pricing } from './pages/pricing'
import { signup } from './pages/signup'
import { welcome } from './pages/welcome'
import { createRouter } from './router'
import './style.css'

const app: App = {
  // Created below, after the router; pages only use it from event handlers.
  get stratum() {
    return stratum
  },
  navigate: (path) => router.navigate(path),
}

// The router starts before the pixel: it renders the page and sets its title first, and its
// popstate listener runs before the pixel's. So every automatic page view — on load, on a link,
// on back/forward — carries the title of the page it counts.
const router = createRouter(
  document.querySelector<HTMLElement>('#app')!,
  { '/': home, '/features': features, '/pricing': pricing, '/signup': signup(app), '/welcome': welcome },
  notFound,
)

const stratum = createStratum({
  sourceKey: import.meta.env.VITE_STRATUM_SOURCE_KEY,
  endpoint: import.meta.env.VITE_STRATUM_ENDPOINT,
})
