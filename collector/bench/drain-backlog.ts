/** How long a phase's resolution backlog took to clear once its load stopped. */
export interface BacklogFigures {
  /** Events stored but not yet resolved when the load stopped. */
  pending: number
  /** Seconds until none was left (or until the bound, when `cleared` is false). */
  seconds: number
  cleared: boolean
}

/**
 * \`GET /health\` also computes the tenant's signal health over 24 h of events:
 * polled often, it would slow the very resolution it waits for.
 */
const POLL_MS = 1000
const BOUND_MS = 300_000

/**
 * Waits, at most 5 minutes, until the collector reports no event of the
 * bench tenant pending resolution (`GET /health`, collector/docs/pipeline.md),
 * so that every phase starts without the previous one's backlog and its lag
 * figures are its own. What it waited for is a figure too: a backlog cleared
 * in s seconds (to within the 1-second poll) was resolved at about
 * pending / s events per second with no load beside it.
 *
 * @example
 * const backlog = await drainBacklog(collector.url, token) // { pending: 5200, seconds: 2.1, cleared: true }
 */
export async function drainBacklog(url: string, token: string): Promise<BacklogFigures> {
  const started = performance.now()
  let pending: number | undefined
  for (;;) {
    const res = await fetch(`${url}/api/v1/cdp/health`, { headers: { authorization: `Bearer ${token}` } })
    const body = (await res.json()) as { resolution?: { pending: number } | null }
    const now = body.resolution?.pending
    if (typeof now !== 'number') throw new Error(`GET /health answered ${res.status} without a resolution backlog`)
    pending ??= now
    const seconds = Math.round((performance.now() - started) / 100) / 10
    if (now === 0) return { pending, seconds, cleared: true }
    if (performance.now() - started > BOUND_MS) return { pending, seconds, cleared: false }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}
