import { PLANS } from '../plans'
import type { Route } from '../router'

export const pricing: Route = {
  title: 'Pricing',
  render(view) {
    const plans = PLANS.map(
      (plan) => `
        <li class="plan">
          <h2>${plan.name}</h2>
          <p class="price">€${plan.monthlyPrice} / month</p>
          <p>${plan.pitch}</p>
          <a class="button" href="/signup?plan=${plan.id}">Try ${plan.name} free</a>
        </li>`,
    )
    view.innerHTML = `<h1>Pricing</h1><ul class="plans">${plans.join('')}</ul>`
  },
}
