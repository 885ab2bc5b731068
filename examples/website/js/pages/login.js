import { logIn } from '../account.js'
import { renderLayout } from '../layout.js'

renderLayout()
document.getElementById('login').addEventListener('submit', (event) => {
  event.preventDefault()
  // Empty fields are left out rather than sent as blanks the pixel would warn about.
  const details = Object.fromEntries([...new FormData(event.target)].filter(([, value]) => value.trim()))
  logIn(details)
  // The pixel normalises and hashes these in the browser: the raw email and phone never leave the page.
  stratum('identify', details)
  location.href = nextPage()
})

/** Where to go after logging in: `?next=` when it is one of the shop's pages, the home page otherwise. */
function nextPage() {
  const next = new URLSearchParams(location.search).get('next')
  return next && /^\/[\w-]+\.html$/.test(next) ? next : '/'
}
