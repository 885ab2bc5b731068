import type { PageContext } from '../types'

/**
 * The page as it is now: URL, title, referrer and time.
 *
 * @example
 * currentPageContext() // { url: 'https://shop.example/cart', title: 'Cart', referrer: '', ts: 1767225600000 }
 */
export function currentPageContext(): PageContext {
  return { url: location.href, title: document.title, referrer: document.referrer, ts: Date.now() }
}
