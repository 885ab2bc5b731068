import type { Route } from '../router'

// Pages without behaviour: static markup only, so innerHTML is safe here.

export const home: Route = {
  title: 'Notes that find themselves',
  render(view) {
    view.innerHTML = `
      <h1>Notes that find themselves</h1>
      <p>Lumen Notes links what you write, so yesterday's idea is there when you need it.</p>
      <p><a class="button" href="/signup">Start a 14-day trial</a> or <a href="/features">see the features</a>.</p>`
  },
}

export const features: Route = {
  title: 'Features',
  render(view) {
    view.innerHTML = `
      <h1>Features</h1>
      <ul>
        <li>Backlinks and a graph of everything you wrote</li>
        <li>Offline first, synced across devices</li>
        <li>Full-text search in under 50 ms</li>
      </ul>
      <p><a href="/pricing">See pricing</a></p>`
  },
}

export const notFound: Route = {
  title: 'Not found',
  render(view) {
    view.innerHTML = `<h1>Not found</h1><p><a href="/">Back home</a></p>`
  },
}
