import { planOf } from '../plans'
import type { Route } from '../router'

export const welcome: Route = {
  title: 'Welcome',
  render(view, url) {
    view.innerHTML = `
      <h1>Welcome aboard</h1>
      <p>Your 14-day ${planOf(url).name} trial has started. <a href="/">Back home</a></p>`
  },
}
