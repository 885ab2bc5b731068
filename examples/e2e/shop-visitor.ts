import type { Page } from '@playwright/test'

/** What a visitor types into the shop's login form. */
export interface LoginDetails {
  email: string
  phone: string
  firstName: string
  lastName: string
}

/**
 * A visitor of the demo shop (examples/website), clicking as a person would.
 * Each step waits for the next page's `load` — as a person waits to see it —
 * before the next click.
 *
 * @example
 * const visitor = shopVisitor(page, demo.shopUrl)
 * await visitor.arrive('Accept')
 * const orderId = await visitor.buySofa(details)
 */
export function shopVisitor(page: Page, shopUrl: string) {
  const goTo = async (pathname: string, click: () => Promise<void>) => {
    await click()
    await page.waitForURL((url) => url.pathname === pathname)
  }
  const main = page.getByRole('main')
  return {
    /** Opens the home page and answers the consent banner. */
    async arrive(answer: 'Accept' | 'Decline') {
      await page.goto(shopUrl)
      await page.getByRole('button', { name: answer }).click()
    },
    /**
     * Views the sofa, adds it to the cart, checks out, logs in when asked,
     * and pays; returns the order id the shop shows.
     */
    async buySofa(details: LoginDetails): Promise<string> {
      await goTo('/product.html', () => main.getByRole('link', { name: /Linen sofa/ }).click())
      await goTo('/cart.html', () => main.getByRole('button', { name: 'Add to cart' }).click())
      await goTo('/checkout.html', () => main.getByRole('button', { name: 'Check out' }).click())
      await goTo('/login.html', () => main.getByRole('link', { name: 'Log in' }).click())
      await main.getByLabel('Email').fill(details.email)
      await main.getByLabel('Phone').fill(details.phone)
      await main.getByLabel('First name').fill(details.firstName)
      await main.getByLabel('Last name').fill(details.lastName)
      await goTo('/checkout.html', () => main.getByRole('button', { name: 'Log in' }).click())
      await main.getByRole('button', { name: /^Pay/ }).click()
      return (await page.locator('#order-id').textContent()) ?? ''
    },
  }
}
