import type { App } from '../app'
import { CURRENCY, planOf } from '../plans'
import type { Route } from '../router'

/**
 * The sign-up page: the visitor becomes known (`identify`, hashed in the
 * browser) and starts a trial (`StartTrial`, with the value EMQ looks for).
 *
 * @example
 * const routes = { '/signup': signup(app) }
 */
export function signup(app: App): Route {
  return {
    title: 'Start your trial',
    render(view, url) {
      const plan = planOf(url)
      view.innerHTML = `
        <h1>Start your ${plan.name} trial</h1>
        <form class="form">
          <label>Email <input name="email" type="email" autocomplete="email" required></label>
          <label>First name <input name="firstName" autocomplete="given-name"></label>
          <button type="submit">Start my trial</button>
        </form>`
      view.querySelector('form')!.addEventListener('submit', (event) => {
        event.preventDefault()
        const form = new FormData(event.target as HTMLFormElement)
        app.stratum.identify({ email: String(form.get('email')), firstName: String(form.get('firstName')) || undefined })
        app.stratum.track('StartTrial', {
          value: plan.monthlyPrice,
          currency: CURRENCY,
          predicted_ltv: plan.monthlyPrice * 12,
          content_ids: [plan.id],
        })
        app.navigate(`/welcome?plan=${plan.id}`)
      })
    },
  }
}
