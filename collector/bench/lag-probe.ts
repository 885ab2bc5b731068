import type { Pool } from 'undici'
import type { LagFigures } from './driver-protocol'
import { percentiles } from './stats'

/** How often a probe looks the profile up again: the resolution of the lag figures. */
const POLL_MS = 25
/** A probe gives up after this long and counts a timeout. */
const TIMEOUT_MS = 30_000
/** At most one probe starts per this many milliseconds, so the lookups stay a small load. */
const MIN_GAP_MS = 100

/**
 * Samples resolution lag: after a batch is answered, looks its new visitor up
 * with `GET /profiles?identifier_type=anonymous_id&identifier_value=…` until
 * the profile answers. The lag is the time from the answer to the sending of
 * the lookup that found it, and 0 when the first lookup did: a collector that
 * resolves before it answers shows 0. Its resolution is the 25 ms between
 * lookups. One probe at a time, on its own connection.
 *
 * @example
 * const probe = lagProbe(probePool, token)
 * probe.offer('new-r1-42', performance.now())
 * const figures = await probe.finish()
 */
export function lagProbe(pool: Pool, token: string) {
  const lags: number[] = []
  let timeouts = 0
  let active: Promise<void> | undefined
  let lastStart = Number.NEGATIVE_INFINITY

  const lookup = async (anonymousId: string) => {
    const { statusCode, body } = await pool.request({
      method: 'GET',
      path: `/api/v1/cdp/profiles?identifier_type=anonymous_id&identifier_value=${encodeURIComponent(anonymousId)}`,
      headers: { authorization: `Bearer ${token}` },
    })
    await body.dump()
    if (statusCode !== 200 && statusCode !== 404) throw new Error(`profile lookup answered ${statusCode}`)
    return statusCode === 200
  }

  const follow = async (anonymousId: string, answeredAt: number) => {
    for (let first = true; performance.now() - answeredAt < TIMEOUT_MS; first = false) {
      const sentAt = performance.now()
      if (await lookup(anonymousId)) {
        lags.push(first ? 0 : sentAt - answeredAt)
        return
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    }
    timeouts++
  }

  return {
    /** Starts a probe for this batch's new visitor, unless one is running or one started just now. */
    offer(anonymousId: string, answeredAt: number) {
      if (active || answeredAt - lastStart < MIN_GAP_MS) return
      lastStart = answeredAt
      active = follow(anonymousId, answeredAt)
        .catch(() => {
          timeouts++
        })
        .finally(() => {
          active = undefined
        })
    },
    /** Waits for this visitor's profile (the end of a phase whose every batch must be resolved). */
    async awaitVisible(anonymousId: string, answeredAt: number) {
      await active
      await follow(anonymousId, answeredAt)
    },
    /** Lets the running probe finish, then returns the phase's figures and starts afresh. */
    async finish(): Promise<LagFigures> {
      await active
      const figures = { ...percentiles(lags), timeouts }
      lags.length = 0
      timeouts = 0
      return figures
    },
  }
}

export type LagProbe = ReturnType<typeof lagProbe>
