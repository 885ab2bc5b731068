import { vi } from 'vitest'
import { fakeCookieJar } from './fake-cookie-jar'
import { memoryStorage } from './memory-storage'

/** A request the pixel made, with its parsed JSON body. */
export interface SentRequest {
  url: string
  body: Record<string, unknown> & { events?: Record<string, unknown>[] }
  keepalive: boolean
}

/**
 * Installs just enough of a browser as globals (window, document, location,
 * history, navigator, localStorage, cookies, fetch) for the pixel's core to
 * run in a node test. `fetch` records requests and answers 200. Undo with
 * `vi.unstubAllGlobals()`.
 *
 * @example
 * const browser = installFakeBrowser({ url: 'https://www.shop.example/?utm_source=x' })
 * createStratumCore(options, loaders)
 * browser.requests // what was sent
 */
export function installFakeBrowser({
  url = 'https://www.shop.example/',
  gpc = false,
  locks,
}: { url?: string; gpc?: boolean; locks?: LockManager } = {}) {
  let href = url
  const host = () => new URL(href).hostname
  const jar = fakeCookieJar(host(), ['example', 'test'])
  const storage = memoryStorage()
  const requests: SentRequest[] = []
  const document = Object.assign(new EventTarget(), {
    title: 'Home',
    referrer: 'https://search.example/',
    visibilityState: 'visible',
    cookie: '',
  })
  // Object.assign would copy a getter's value: define the accessor itself.
  Object.defineProperty(document, 'cookie', { get: () => jar.read(), set: (value: string) => jar.write(value) })
  const location = {
    get href() {
      return href
    },
    get hostname() {
      return host()
    },
    get protocol() {
      return new URL(href).protocol
    },
    get origin() {
      return new URL(href).origin
    },
  }
  const history = {
    pushState(_state: unknown, _title: string, next: string) {
      href = new URL(next, href).href
    },
    replaceState(_state: unknown, _title: string, next: string) {
      href = new URL(next, href).href
    },
  }
  const navigator = {
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36',
    language: 'en-US',
    onLine: true,
    globalPrivacyControl: gpc,
    sendBeacon: () => true,
    locks,
  }
  const fetch = vi.fn(async (target: string, init: RequestInit) => {
    requests.push({ url: target, body: JSON.parse(String(init.body)), keepalive: !!init.keepalive })
    return new Response(JSON.stringify({ accepted: 1, duplicates: 0, rejected: [], events: [] }), { status: 200 })
  })
  const window = Object.assign(new EventTarget(), { localStorage: storage, history, document, location, navigator })
  for (const [name, value] of Object.entries({ window, document, location, history, navigator, fetch })) {
    vi.stubGlobal(name, value)
  }
  vi.stubGlobal('addEventListener', window.addEventListener.bind(window))
  return {
    requests,
    storage,
    jar,
    /** Every event sent so far, in order. */
    events: () => requests.flatMap((r) => r.body.events ?? []),
    /** Everything the pixel stored: cookies and localStorage, as one string. */
    stored: () => `${jar.read()}\n${Object.keys(storage).map((k) => `${k}=${storage.getItem(k)}`).join('\n')}`,
    /** Follows a link: a new URL, the same storage and cookies. */
    goTo(next: string) {
      href = new URL(next, href).href
    },
  }
}
