import { currentAccount, logOut } from './account.js'
import { cartProperties } from './cart.js'
import { h } from './dom.js'

// The shop's own record of the visitor's choice, so the banner is asked once; the pixel keeps its own.
const CONSENT_KEY = 'shop_consent'

/**
 * Renders what every page shares: the header and, until the visitor has
 * decided, the consent banner. The pixel is initialised with
 * `requireConsent: true`, so nothing is sent before they accept.
 *
 * @example
 * renderLayout()
 */
export function renderLayout() {
  renderHeader()
  if (!localStorage.getItem(CONSENT_KEY)) document.body.append(consentBanner())
}

/**
 * Renders the header: navigation, cart count, and the account.
 *
 * @example
 * renderHeader() // after the cart changed
 */
export function renderHeader() {
  const account = currentAccount()
  document.getElementById('site-header').replaceChildren(
    h('a', { href: '/', class: 'brand' }, 'Nordlys'),
    h(
      'nav',
      {},
      h('a', { href: '/' }, 'Shop'),
      h('a', { href: '/cart.html' }, `Cart (${cartProperties().num_items})`),
      account
        ? h('span', {}, `Hi ${account.firstName || account.email} · `, h('button', { type: 'button', class: 'link', onclick: logOutEverywhere }, 'Log out'))
        : h('a', { href: '/login.html' }, 'Log in'),
    ),
  )
}

/** Logs out of the shop and of the pixel: on a shared computer the next visitor must not inherit this one's identity. */
function logOutEverywhere() {
  logOut()
  stratum('reset')
  location.href = '/'
}

function consentBanner() {
  const decide = (granted) => () => {
    stratum('consent', { analytics: granted, marketing: granted })
    localStorage.setItem(CONSENT_KEY, granted ? 'granted' : 'denied')
    banner.remove()
  }
  const banner = h(
    'aside',
    { class: 'consent', 'aria-label': 'Cookie consent' },
    h('p', {}, 'We use first-party analytics to improve the shop and measure our ads. Nothing is sent until you accept.'),
    h('button', { type: 'button', onclick: decide(true) }, 'Accept'),
    h('button', { type: 'button', class: 'secondary', onclick: decide(false) }, 'Decline'),
  )
  return banner
}
